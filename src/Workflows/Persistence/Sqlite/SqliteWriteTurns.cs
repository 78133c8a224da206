using System.Collections.Concurrent;

namespace Followup.Workflows.Persistence.Sqlite;

/// <summary>
/// The turns of this process's writers on one SQLite file, in the order they asked: the group commit's writer for each
/// group, each burst whose steps opened a transaction, for as long as it is open, and the contexts' writes
/// (<see cref="SqliteTurnInterceptor"/>). SQLite lets one writer at a time in; without turns the others retried on its
/// busy handler, which sleeps longer after each try (up to 100 ms a time), so a burst could wait several of them behind
/// a stream of shorter writes. A burst or a context whose turn does not come within SQLite's busy timeout fails as
/// SQLite would; the group commit's writer waits for as long as it takes.
/// </summary>
internal static class SqliteWriteTurns
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Files = new(StringComparer.Ordinal);

    /// <summary>The turns on the file of a connection string (hosts in one process on one file share them).</summary>
    public static SemaphoreSlim For(WorkflowDatabase database) =>
        Files.GetOrAdd(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource, _ => new SemaphoreSlim(1, 1));

    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(SqlitePragmaInterceptor.BusyTimeoutMilliseconds);

    /// <summary>Waits for the turn, at most SQLite's busy timeout; then "database is locked", as SQLite says it.</summary>
    public static async Task WaitAsync(SemaphoreSlim turn, CancellationToken cancellationToken)
    {
        if (!await turn.WaitAsync(Timeout, cancellationToken))
            throw Locked();
    }

    /// <inheritdoc cref="WaitAsync"/>
    public static void Wait(SemaphoreSlim turn)
    {
        if (!turn.Wait(Timeout))
            throw Locked();
    }

    private static Microsoft.Data.Sqlite.SqliteException Locked() => new("database is locked (the writers' turn did not come)", 5);
}
