using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Followup.Workflows.Persistence.Sql;

/// <summary>
/// What both run stores share: a burst planned as plain SQL from the EF models (<see cref="SqlRows"/>) and written by
/// the group writer (<see cref="GroupCommit"/>), or in the burst's own transaction when its steps opened one; the
/// bookmark and timer lookups that are not on the hot path go through EF Core. The providers differ in how the hot
/// path reads (<see cref="SelectAsync{T}"/>, <see cref="FindStimulusTargetsAsync"/>) and in what they keep in memory.
/// </summary>
public abstract class SqlRunStore(IDbContextFactory<WorkflowDbContext> factory, WorkflowDatabase database, RecordModels records) : IWorkflowRunStore, IAsyncDisposable
{
    private SqlRows? _rows;
    private GroupCommit? _group;

    protected WorkflowDatabase Database => database;

    internal SqlRows Rows => LazyInitializer.EnsureInitialized(ref _rows, () =>
    {
        using var db = factory.CreateDbContext();
        IModel[] models = [db.Model, .. records.Models];
        return new SqlRows(models);
    });

    private GroupCommit Group => LazyInitializer.EnsureInitialized(ref _group, () => new GroupCommit(database));

    public virtual async ValueTask DisposeAsync()
    {
        if (_group != null)
            await _group.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    // ---------------------------------------------------------------- reads of the hot path

    /// <summary>A query for rows of one record type matching a condition on its quoted columns (parameters @p0…).</summary>
    internal sealed record Select<T>(SqlRows.Table Table, string Sql, IReadOnlyList<object?> Values) where T : class;

    internal Select<T> Where<T>(string where, IReadOnlyList<object?> values, string? orderBy = null) where T : class
    {
        var table = Rows.For<T>();
        return new(table, $"SELECT * FROM {table.Name} WHERE {where}" + (orderBy is null ? "" : $" ORDER BY {orderBy}"), values);
    }

    internal abstract Task<List<T>> SelectAsync<T>(Select<T> select, CancellationToken cancellationToken) where T : class;

    public async Task<WorkflowInstanceRecord?> FindInstanceAsync(string id, CancellationToken cancellationToken) =>
        (await SelectAsync(Where<WorkflowInstanceRecord>("\"Id\" = @p0", [id]), cancellationToken)).FirstOrDefault();

    public virtual Task<WorkflowInstanceRecord?> FindInstanceToRunAsync(string id, CancellationToken cancellationToken) => FindInstanceAsync(id, cancellationToken);

    public virtual bool ForgetInstance(string id) => false;

    public abstract Task<(List<BookmarkTarget> Bookmarks, List<TriggerRecord> Triggers)> FindStimulusTargetsAsync(
        string hash, string? correlationId, string? instanceId, bool withTriggers, CancellationToken cancellationToken);

    /// <summary>The bookmarks' keys of a stimulus and the triggers' query, as both stores run them.</summary>
    internal (string Bookmarks, List<object?> Values, Select<TriggerRecord> Triggers) StimulusQueries(string hash, string? correlationId, string? instanceId)
    {
        var where = "\"Hash\" = @p0";
        List<object?> values = [hash];
        foreach (var (column, value) in new[] { ("CorrelationId", correlationId), ("InstanceId", instanceId) })
        {
            if (value is null)
                continue;
            where += $" AND \"{column}\" = @p{values.Count}";
            values.Add(value);
        }
        return ($"SELECT \"InstanceId\", \"Id\" FROM {Rows.For<BookmarkRecord>().Name} WHERE {where} ORDER BY \"Id\"", values,
            Where<TriggerRecord>("\"Hash\" = @p0", [hash]));
    }

    public async Task<BookmarkRecord?> FindBookmarkAsync(string instanceId, string bookmarkId, CancellationToken cancellationToken) =>
        (await SelectAsync(Where<BookmarkRecord>("\"InstanceId\" = @p0 AND \"Id\" = @p1", [instanceId, bookmarkId]), cancellationToken)).FirstOrDefault();

    // ---------------------------------------------------------------- writes

    /// <summary>
    /// Writes a burst. A burst whose steps opened a transaction commits in it (or leaves it to its inline parent);
    /// any other burst joins the next group commit.
    /// </summary>
    public async Task CommitAsync(CommitBatch batch, CancellationToken cancellationToken)
    {
        var plan = Plan(batch);
        try
        {
            if (batch.Transaction is not { } burst)
            {
                await Group.CommitAsync(plan);
            }
            else
            {
                await using (var session = new SqlSession(burst.Connection, burst.Transaction))
                    await WritePlan.ApplyAsync(session, [plan], cancellationToken);
                if (batch.CommitTransaction)
                    await burst.Transaction.CommitAsync(cancellationToken);
            }
        }
        catch
        {
            ForgetInstance(batch.Instance.Id);
            throw;
        }
        // A child written in its parent's transaction is not committed until the parent is.
        if (batch.Transaction is null || batch.CommitTransaction)
            Committed(batch.Instance);
        else
            ForgetInstance(batch.Instance.Id);
    }

    /// <summary>Called with an instance's row once it is committed.</summary>
    protected virtual void Committed(WorkflowInstanceRecord row)
    {
    }

    /// <summary>Everything a burst changes; a stale revision fails it before anything else is written.</summary>
    private WritePlan Plan(CommitBatch batch)
    {
        var plan = new WritePlan { Prepared = batch.Prepared };
        var instance = batch.Instance;
        var instances = Rows.For<WorkflowInstanceRecord>();
        if (batch.IsNew)
        {
            plan.Execute(instances.Insert, instances.InsertValues(instance));
        }
        else
        {
            // An indexed column is only set when it changed: SQLite rewrites the index entries of every column it sets.
            var loaded = batch.Loaded;
            var sets = "\"Revision\" = @p0, \"SubStatus\" = @p1, \"Name\" = @p2, \"IncidentCount\" = @p3, \"State\" = @p4, \"UpdatedAt\" = @p5, \"FinishedAt\" = @p6";
            List<object?> values = [instance.Revision, instance.SubStatus, instance.Name, instance.IncidentCount, instance.State, instance.UpdatedAt, instance.FinishedAt];
            foreach (var (column, value, was) in new[] { ("Status", instance.Status, loaded?.Status), ("CorrelationId", instance.CorrelationId, loaded?.CorrelationId) })
            {
                if (loaded != null && value == was)
                    continue;
                sets += $", \"{column}\" = @p{values.Count}";
                values.Add(value);
            }
            plan.Execute(
                $"UPDATE {instances.Name} SET {sets} WHERE \"Id\" = @p{values.Count} AND \"Revision\" = @p{values.Count + 1}",
                [.. values, instance.Id, batch.ExpectedRevision],
                ifNoRow: () => new WorkflowConcurrencyException(instance.Id));
        }
        var bookmarks = Rows.For<BookmarkRecord>();
        foreach (var id in batch.RemovedBookmarkIds)
            plan.Execute($"DELETE FROM {bookmarks.Name} WHERE \"InstanceId\" = @p0 AND \"Id\" = @p1", [instance.Id, id]);
        if (batch.ResolveIncidents)
        {
            plan.Execute($"UPDATE {Rows.For<IncidentRecord>().Name} SET \"ResolvedAt\" = @p0 WHERE \"InstanceId\" = @p1 AND \"ResolvedAt\" IS NULL",
                [instance.UpdatedAt, instance.Id]);
        }
        foreach (var write in batch.Records.Where(w => w.Kind == RecordWriteKind.Update))
        {
            var table = Rows.For(write.Row.GetType());
            plan.Execute(table.Update, table.UpdateValues(write.Row));
        }
        var journal = batch.Journal.Count == 0 ? [] : new object[] { JournalEntries.Pack(instance.Id, batch.Journal) };
        foreach (var row in batch.AddedBookmarks.Concat(journal).Concat(batch.Incidents))
            plan.Insert(Rows.For(row.GetType()), row);
        foreach (var write in batch.Records.Where(w => w.Kind != RecordWriteKind.Update))
            plan.Insert(Rows.For(write.Row.GetType()), write.Row, write.Kind == RecordWriteKind.InsertUnlessExists ? WritePlan.UnlessExists : null);
        return plan;
    }

    /// <summary>Records a timer's job, through the group commit like the burst that created the timer.</summary>
    public async Task SetSchedulerJobIdAsync(string instanceId, string bookmarkId, string jobId, CancellationToken cancellationToken) =>
        await Group.CommitAsync(new WritePlan().Execute($"UPDATE {Rows.For<BookmarkRecord>().Name} SET \"SchedulerJobId\" = @p0 WHERE \"InstanceId\" = @p1 AND \"Id\" = @p2",
            [jobId, instanceId, bookmarkId]));

    /// <summary>Rows a module writes outside any burst (a message a staff change sends), through the group commit, each unless it exists.</summary>
    public async Task InsertUnlessExistsAsync(IReadOnlyList<object> rows, CancellationToken cancellationToken)
    {
        var plan = new WritePlan();
        foreach (var row in rows)
            plan.Insert(Rows.For(row.GetType()), row, WritePlan.UnlessExists);
        await Group.CommitAsync(plan);
    }

    // ---------------------------------------------------------------- timers (off the hot path)

    public async Task<List<BookmarkRecord>> ListBookmarksAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Bookmarks.AsNoTracking().Where(b => b.InstanceId == instanceId).OrderBy(b => b.CreatedAt).ToListAsync(cancellationToken);
    }

    public async Task<List<BookmarkRecord>> ListUnscheduledTimersAsync(DateTime dueBefore, DateTime createdBefore, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Bookmarks.AsNoTracking().Where(b => b.DueAt != null && b.DueAt <= dueBefore && b.SchedulerJobId == null && b.CreatedAt < createdBefore)
            .ToListAsync(cancellationToken);
    }

    public async Task<List<BookmarkRecord>> ListTimersAsync(DateTime? dueBefore, DateTime afterDueAt, string afterId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Bookmarks.AsNoTracking().Where(b => b.DueAt != null
            && (b.DueAt > afterDueAt || (b.DueAt == afterDueAt && string.Compare(b.Id, afterId) > 0)));
        if (dueBefore != null)
            query = query.Where(b => b.DueAt <= dueBefore);
        return await query.OrderBy(b => b.DueAt).ThenBy(b => b.Id).Take(limit).ToListAsync(cancellationToken);
    }
}
