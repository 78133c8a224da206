using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Followup.Workflows.Persistence.Sqlite;

/// <summary>
/// SQLite settings per connection: WAL-friendly synchronous mode, a busy timeout instead of "database is locked",
/// temporary data (the statement journals of a group's multi-row inserts) in memory rather than in a file, and the log
/// left to the checkpoint thread (<see cref="WalCheckpointer"/>). SQLite's own automatic checkpoint, at 1,000 pages,
/// would run inside the commit of whichever connection wrote last, with two syncs of the disk while every other writer
/// waits: a long log passes that mark on almost every commit, so a burst writing records stalled every few dozen
/// commits. Each connection checkpoints itself only at <see cref="SqliteLogLimits.WriterLimitPages"/>.
/// The settings stay with SQLite's connection, which the pool keeps open between uses: they are sent once for each,
/// not each time a context opens it.
/// </summary>
public sealed class SqlitePragmaInterceptor(SqliteLogLimits log) : DbConnectionInterceptor
{
    /// <summary>How long a connection waits for a lock before it fails with "database is locked".</summary>
    public const int BusyTimeoutMilliseconds = 10_000;

    private readonly string _pragmas = "PRAGMA synchronous=NORMAL; " +
        $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint={log.WriterLimitPages};";

    /// <summary>SQLite's connections (the pool's, kept open between uses) and the settings each was given.</summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, string> Applied = [];

    public async Task ApplyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (IsApplied(connection))
            return;
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        Remember(connection);
    }

    public void Apply(DbConnection connection)
    {
        if (IsApplied(connection))
            return;
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
        Remember(connection);
    }

    private bool IsApplied(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && Applied.TryGetValue(handle, out var applied) && applied == _pragmas;

    private void Remember(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
            Applied.AddOrUpdate(handle, _pragmas);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        ApplyAsync(connection, cancellationToken);
}
