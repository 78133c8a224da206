using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Followup.Workflows.Persistence.Sqlite;

/// <summary>
/// SQLite settings per connection: WAL-friendly synchronous mode, a busy timeout instead of "database is locked", and
/// temporary data (the statement journals of a group's multi-row inserts) in memory rather than in a file.
/// </summary>
public sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    /// <summary>How long a connection waits for a lock before it fails with "database is locked".</summary>
    public const int BusyTimeoutMilliseconds = 10_000;

    private static readonly string Pragmas = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";

    public static async Task ApplyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        ApplyAsync(connection, cancellationToken);
}
