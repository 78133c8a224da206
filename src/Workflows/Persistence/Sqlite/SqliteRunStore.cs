using Followup.Workflows.Persistence.Sql;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Followup.Workflows.Persistence.Sqlite;

/// <summary>
/// The run path on a SQLite file, one host: reads on kept connections with statements prepared once (<see cref="SqliteReads"/>),
/// an event's bookmarks and triggers read in one read transaction, and the rows this store last committed kept in
/// memory so a resume does not read back what it just wrote (<see cref="RecentInstances"/>).
/// </summary>
public sealed class SqliteRunStore(IDbContextFactory<WorkflowDbContext> factory, WorkflowDatabase database, RecordModels records, IOptions<EngineOptions> options)
    : SqlRunStore(factory, database, records)
{
    /// <summary>Bounded by bytes (<see cref="EngineOptions.RecentInstancesMiB"/>): not a copy of every instance waiting for days, however large their states grow.</summary>
    private readonly RecentInstances _recent = new(capacityBytes: (long)options.Value.RecentInstancesMiB << 20);

    private SqliteReads? _reads;

    /// <summary>The bytes the copies weigh now.</summary>
    internal long RecentBytes => _recent.Bytes;

    private SqliteReads Reads => LazyInitializer.EnsureInitialized(ref _reads, () => new SqliteReads(Database));

    internal override Task<List<T>> SelectAsync<T>(Select<T> select, CancellationToken cancellationToken) =>
        Task.FromResult(Reads.Query<T>(select.Table, select.Sql, select.Values));

    public override async Task<WorkflowInstanceRecord?> FindInstanceToRunAsync(string id, CancellationToken cancellationToken) =>
        _recent.Find(id) ?? await FindInstanceAsync(id, cancellationToken);

    public override bool ForgetInstance(string id) => _recent.Forget(id);

    protected override void Committed(WorkflowInstanceRecord row) => _recent.Committed(row);

    /// <summary>Both read in one read transaction, as every published event needs both; the bookmarks from the (hash, correlation id) index alone.</summary>
    public override Task<(List<BookmarkTarget> Bookmarks, List<TriggerRecord> Triggers)> FindStimulusTargetsAsync(
        string hash, string? correlationId, string? instanceId, bool withTriggers, CancellationToken cancellationToken)
    {
        var (bookmarks, values, triggers) = StimulusQueries(hash, correlationId, instanceId);
        return Task.FromResult(Reads.InOneTransaction(session => (
            session.Query(bookmarks, values, s => new BookmarkTarget(s.Text(0), s.Text(1))),
            withTriggers ? session.Query<TriggerRecord>(triggers.Table, triggers.Sql, triggers.Values) : [])));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _reads?.Dispose();
    }
}
