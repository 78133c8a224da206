using System.Collections.Concurrent;

namespace Followup.Workflows.Persistence.Sqlite;

/// <summary>
/// The turns of this process's workflow writers on one SQLite file, in the order they asked: the group commit's writer
/// for each group, and each burst whose steps opened a transaction, for as long as it is open. SQLite lets one writer
/// at a time in; without turns the others retried on its busy handler, which sleeps longer after each try (up to
/// 100 ms a time), so a burst could wait several of them behind a stream of shorter writes.
/// </summary>
internal static class SqliteWriteTurns
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Files = new(StringComparer.Ordinal);

    /// <summary>The turns on the file of a connection string (hosts in one process on one file share them).</summary>
    public static SemaphoreSlim For(WorkflowDatabase database) =>
        Files.GetOrAdd(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource, _ => new SemaphoreSlim(1, 1));
}
