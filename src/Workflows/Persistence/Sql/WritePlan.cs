using System.Data.Common;

using Followup.Workflows.Persistence.Sqlite;

namespace Followup.Workflows.Persistence.Sql;

/// <summary>
/// What one write changes, prepared by its caller so the single writer only binds and runs: statements in order
/// (each may demand that it changed a row), then rows to insert. The rows of every plan in a group go in as
/// multi-row inserts per table.
/// </summary>
internal sealed class WritePlan
{
    /// <summary>The suffix of an insert that leaves out a row whose key (or another unique key) is there already.</summary>
    public const string UnlessExists = " ON CONFLICT DO NOTHING";

    /// <summary>Few enough that binding parameters by name stays cheap, many enough to save most statements.</summary>
    private const int RowsPerInsert = 16;

    public List<(string Sql, object?[] Values, Func<Exception>? IfNoRow)> Statements { get; } = [];
    public List<(SqlRows.Table Table, string? Suffix, object?[] Values)> Rows { get; } = [];

    /// <summary>A module's prepared write, made after the statements and rows (<see cref="IPreparedWrite"/>).</summary>
    public IPreparedWrite? Prepared { get; set; }

    public WritePlan Execute(string sql, object?[] values, Func<Exception>? ifNoRow = null)
    {
        Statements.Add((sql, values, ifNoRow));
        return this;
    }

    public WritePlan Insert(SqlRows.Table table, object row, string? suffix = null)
    {
        Rows.Add((table, suffix, table.InsertValues(row)));
        return this;
    }

    /// <summary>Runs the plans' statements in order, then their rows a table at a time, then their prepared writes; throws on the first failure.</summary>
    public static async Task ApplyAsync(SqlSession session, IReadOnlyList<WritePlan> plans, CancellationToken cancellationToken)
    {
        foreach (var plan in plans)
        {
            foreach (var (sql, values, ifNoRow) in plan.Statements)
            {
                if (await session.ExecuteAsync(sql, values, cancellationToken) == 0 && ifNoRow != null)
                    throw ifNoRow();
            }
        }
        foreach (var rows in plans.SelectMany(p => p.Rows).GroupBy(r => (r.Table, r.Suffix)))
        {
            foreach (var chunk in rows.Chunk(RowsPerInsert))
            {
                var (table, suffix) = rows.Key;
                await session.ExecuteAsync(table.InsertMany(chunk.Length) + suffix, [.. chunk.SelectMany(r => r.Values)], cancellationToken);
            }
        }
        foreach (var plan in plans)
        {
            if (plan.Prepared is { } prepared)
                await PreparedWriteException.MakeAsync(prepared, session.Connection, session.Transaction!, cancellationToken);
        }
    }
}

/// <summary>
/// Commands on one open connection, each statement text prepared once and run again with new values in the current
/// transaction: the group writer keeps its session, so a group binds statements prepared by earlier groups.
/// </summary>
internal sealed class SqlSession(DbConnection connection, DbTransaction? transaction = null) : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    private readonly SqliteStatements? _statements = connection is Microsoft.Data.Sqlite.SqliteConnection sqlite ? new(sqlite) : null;

    public DbConnection Connection => connection;

    /// <summary>The transaction the next commands run in.</summary>
    public DbTransaction? Transaction
    {
        get => transaction;
        set
        {
            transaction = value;
            foreach (var command in _commands.Values)
                command.Transaction = value;
        }
    }

    public async Task<int> ExecuteAsync(string sql, IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        if (_statements != null)
            return _statements.For(sql, values.Count).Execute(values);
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            for (var i = 0; i < values.Count; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{i}";
                command.Parameters.Add(parameter);
            }
            _commands[sql] = command;
        }
        for (var i = 0; i < values.Count; i++)
            command.Parameters[i].Value = ParameterValue(values[i]);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A value as an ADO.NET parameter takes it (SQLite's own statements bind <see cref="Utf8Json"/> as it is).</summary>
    public static object ParameterValue(object? value) => value switch
    {
        null => DBNull.Value,
        Utf8Json json => json.ToString(),
        _ => value,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
            await command.DisposeAsync();
        _commands.Clear();
        _statements?.Dispose();
    }
}
