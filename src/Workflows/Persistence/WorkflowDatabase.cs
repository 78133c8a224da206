using Microsoft.EntityFrameworkCore;

namespace Followup.Workflows.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// When SQLite's write-ahead log goes back to its start, in log pages (4 KiB each): once it is
/// <paramref name="RestartAfterPages"/> long, the checkpoint thread catches up and the writer starts it again
/// (<see cref="WalCheckpointer"/>); at <paramref name="WriterLimitPages"/> whichever connection commits checkpoints it
/// itself, stalling its callers, in case that thread falls behind (every connection to the file gets this limit from
/// <see cref="Sqlite.SqlitePragmaInterceptor"/>).
/// </summary>
public sealed record SqliteLogLimits(int RestartAfterPages = 16_384, int WriterLimitPages = 65_536);

/// <summary>Where the engine keeps its tables: a SQLite file (one host) or PostgreSQL (several hosts sharing one database).</summary>
public sealed record WorkflowDatabase(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>SQLite only.</summary>
    public SqliteLogLimits Log { get; init; } = new();

    /// <summary>SQLite: the settings each connection to the file gets as it opens.</summary>
    public Sqlite.SqlitePragmaInterceptor SqlitePragmas => new(Log);

    public static WorkflowDatabase Sqlite(string connectionString) => new(DatabaseProvider.Sqlite, connectionString);

    public static WorkflowDatabase Postgres(string connectionString) => new(DatabaseProvider.Postgres, PreparingStatements(connectionString));

    /// <summary>The database a host's configuration names (<see cref="ParseProvider"/>), with the provider's defaults.</summary>
    public static WorkflowDatabase Of(string? provider, string connectionString) =>
        ParseProvider(provider) == DatabaseProvider.Postgres ? Postgres(connectionString) : Sqlite(connectionString);

    /// <summary>How many statements each PostgreSQL connection keeps prepared unless the connection string says.</summary>
    public const int AutoPreparedStatements = 200;

    /// <summary>
    /// PostgreSQL: the statements that repeat (a burst's reads and writes, the inbox, Hangfire's polls) are prepared on
    /// each connection once they have run a few times (Npgsql's automatic preparation), so the server parses and plans
    /// them once rather than on every request. A connection string that sets <c>Max Auto Prepare</c> keeps its own
    /// value: 0 behind a pooler that hands each transaction a different server connection (PgBouncer in transaction
    /// mode before 1.21).
    /// </summary>
    public static string PreparingStatements(string connectionString)
    {
        // Npgsql's builder answers every keyword it knows as present; the plain one holds only what was written.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
            return connectionString;
        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = AutoPreparedStatements }.ConnectionString;
    }

    /// <summary>Points a context at this database (SQLite with its per-connection pragmas and the writers' turns, or Npgsql); each set of migrations keeps its own history table.</summary>
    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string? historyTable = null) => Provider == DatabaseProvider.Postgres
        ? options.UseNpgsql(ConnectionString, x => { if (historyTable != null) x.MigrationsHistoryTable(historyTable); })
        : options.UseSqlite(ConnectionString, x => { if (historyTable != null) x.MigrationsHistoryTable(historyTable); }).AddInterceptors(SqlitePragmas, new Sqlite.SqliteTurnInterceptor(this));

    /// <summary>A connection of the provider, not yet open (a context opens it for each query; a read needs no settings).</summary>
    public System.Data.Common.DbConnection Connection() => Provider == DatabaseProvider.Postgres
        ? new Npgsql.NpgsqlConnection(ConnectionString)
        : new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString);

    /// <summary>An open connection of the provider; for writing, with the engine's per-connection settings on SQLite (a read needs none).</summary>
    public async Task<System.Data.Common.DbConnection> OpenAsync(bool forWriting, CancellationToken cancellationToken)
    {
        var connection = Connection();
        await connection.OpenAsync(cancellationToken);
        if (Provider == DatabaseProvider.Sqlite && forWriting)
            await SqlitePragmas.ApplyAsync(connection, cancellationToken);
        return connection;
    }

    /// <summary>Parses a provider name from configuration ("Sqlite" or "Postgres", any case).</summary>
    public static DatabaseProvider ParseProvider(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        null or "" or "SQLITE" => DatabaseProvider.Sqlite,
        "POSTGRES" or "POSTGRESQL" or "NPGSQL" => DatabaseProvider.Postgres,
        _ => throw new ArgumentException($"Unknown database provider '{name}'. Use Sqlite or Postgres."),
    };
}
