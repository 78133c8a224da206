using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Followup.Workflows.Persistence;

/// <summary>Everything one burst changes, written in one transaction.</summary>
public sealed record CommitBatch
{
    public required WorkflowInstanceRecord Instance { get; init; }
    public bool IsNew { get; init; }
    public int ExpectedRevision { get; init; }

    /// <summary>The row as the burst read it, when it read one: indexed columns it did not change are not written.</summary>
    public WorkflowInstanceRecord? Loaded { get; init; }
    public IReadOnlyList<BookmarkRecord> AddedBookmarks { get; init; } = [];
    public IReadOnlyList<string> RemovedBookmarkIds { get; init; } = [];
    public IReadOnlyList<JournalRecord> Journal { get; init; } = [];
    public IReadOnlyList<IncidentRecord> Incidents { get; init; } = [];
    public IReadOnlyList<OutboxRecord> Outbox { get; init; } = [];

    /// <summary>Rows that activities add or change with this burst (human tasks), written in the same transaction.</summary>
    public IReadOnlyList<object> Inserts { get; init; } = [];
    public IReadOnlyList<object> Updates { get; init; } = [];

    /// <summary>The burst's open transaction, when its steps used one; the commit writes in it.</summary>
    public BurstTransaction? Transaction { get; init; }

    /// <summary>False for a child run inline in its parent's step: its parent commits the transaction.</summary>
    public bool CommitTransaction { get; init; } = true;
    public bool ResolveIncidents { get; init; }
}

public sealed record InstanceQuery
{
    public string? DefinitionId { get; init; }
    public string? Status { get; init; }
    public string? SubStatus { get; init; }
    public string? CorrelationId { get; init; }

    /// <summary>0-based, as the Elsa API counts pages.</summary>
    public int Page { get; init; }

    public int PageSize { get; init; } = 50;
}

public sealed class WorkflowConcurrencyException(string instanceId)
    : Exception($"Workflow instance {instanceId} was changed by another resume since it was loaded.")
{
    public string InstanceId { get; } = instanceId;
}

/// <summary>
/// The engine's persistence: EF Core for queries and management, plain SQL (<see cref="SqlRows"/>) on the
/// run-until-blocked path. Bursts of different instances commit together (<see cref="GroupCommit"/>).
/// </summary>
public sealed class WorkflowStore(IDbContextFactory<WorkflowDbContext> factory, WorkflowDatabase database) : IAsyncDisposable
{
    private SqlRows? _rows;
    private GroupCommit? _group;

    /// <summary>On SQLite (one host), enough for every visit a dealership has open and more; each copy is a row with its JSON state.</summary>
    private readonly RecentInstances _recent = new(capacity: database.Provider == DatabaseProvider.Sqlite ? 10_000 : 0);

    private SqlRows Rows => _rows ??= CreateRows();

    private GroupCommit Group => LazyInitializer.EnsureInitialized(ref _group, () => new GroupCommit(database));

    private SqliteReads? _reads;

    private SqliteReads? Reads => database.Provider == DatabaseProvider.Sqlite
        ? LazyInitializer.EnsureInitialized(ref _reads, () => new SqliteReads(database.ConnectionString))
        : null;

    public async ValueTask DisposeAsync()
    {
        if (_group != null)
            await _group.DisposeAsync();
        _reads?.Dispose();
    }

    private SqlRows CreateRows()
    {
        using var db = factory.CreateDbContext();
        return new SqlRows(db.Model);
    }

    public async Task<WorkflowInstanceRecord?> FindInstanceAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync<WorkflowInstanceRecord>("\"Id\" = @p0", [id], cancellationToken)).FirstOrDefault();

    /// <summary>
    /// The instance to run a burst of: the row this store last committed for it, when it still has it, or else the
    /// stored row. A copy that turns out stale fails the burst's revision check and is dropped (<see cref="CommitAsync"/>);
    /// <see cref="ForgetInstance"/> drops it when the caller finds it out otherwise.
    /// </summary>
    public async Task<WorkflowInstanceRecord?> FindInstanceToRunAsync(string id, CancellationToken cancellationToken) =>
        _recent.Find(id) ?? await FindInstanceAsync(id, cancellationToken);

    /// <summary>Drops the copy of an instance found stale; false when there was none (the row was read from the database).</summary>
    public bool ForgetInstance(string id) => _recent.Forget(id);

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
            _recent.Forget(batch.Instance.Id);
            throw;
        }
        // A child written in its parent's transaction is not committed until the parent is.
        if (batch.Transaction is null || batch.CommitTransaction)
            _recent.Committed(batch.Instance);
        else
            _recent.Forget(batch.Instance.Id);
    }

    /// <summary>Everything a burst changes; a stale revision fails it before anything else is written.</summary>
    private WritePlan Plan(CommitBatch batch)
    {
        var plan = new WritePlan();
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
        foreach (var row in batch.Updates.Except(batch.Inserts))
        {
            var table = Rows.For(row.GetType());
            plan.Execute(table.Update, table.UpdateValues(row));
        }
        var journal = batch.Journal.Count == 0 ? [] : new object[] { JournalEntries.Pack(instance.Id, batch.Journal) };
        foreach (var row in batch.AddedBookmarks.Concat(journal).Concat(batch.Incidents).Concat(batch.Inserts))
            plan.Insert(Rows.For(row.GetType()), row);
        return AddNewOutboxRows(plan, batch.Outbox);
    }

    /// <summary>A query for rows of one record type matching a condition on its quoted columns (parameters @p0…).</summary>
    private sealed record Select<T>(SqlRows.Table Table, string Sql, IReadOnlyList<object?> Values) where T : class;

    private Select<T> Where<T>(string where, IReadOnlyList<object?> values, string? orderBy = null) where T : class
    {
        var table = Rows.For<T>();
        return new(table, $"SELECT * FROM {table.Name} WHERE {where}" + (orderBy is null ? "" : $" ORDER BY {orderBy}"), values);
    }

    private Task<List<T>> QueryAsync<T>(string where, IReadOnlyList<object?> values, CancellationToken cancellationToken, string? orderBy = null) where T : class =>
        QueryAsync(Where<T>(where, values, orderBy), cancellationToken);

    private async Task<List<T>> QueryAsync<T>(Select<T> select, CancellationToken cancellationToken) where T : class
    {
        if (Reads is { } reads)
            return reads.Query<T>(select.Table, select.Sql, select.Values);
        return await ReadAsync(select.Sql, select.Values, (reader, ct) => select.Table.ReadAsync<T>(reader, ct), cancellationToken);
    }

    /// <summary>A query through ADO.NET on a connection of its own (PostgreSQL, or SQLite before its kept connections).</summary>
    private async Task<TResult> ReadAsync<TResult>(string sql, IReadOnlyList<object?> values, Func<System.Data.Common.DbDataReader, CancellationToken, Task<TResult>> read, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(forWriting: false, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = SqlSession.ParameterValue(values[i]);
            command.Parameters.Add(parameter);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await read(reader, cancellationToken);
    }

    /// <summary>The bookmarks a stimulus resumes, through the (hash, correlation id) index.</summary>
    public Task<List<BookmarkRecord>> FindBookmarksAsync(string hash, string? correlationId, string? instanceId, CancellationToken cancellationToken) =>
        QueryAsync(BookmarksOf(hash, correlationId, instanceId), cancellationToken);

    private Select<BookmarkRecord> BookmarksOf(string hash, string? correlationId, string? instanceId)
    {
        var (where, values) = BookmarkFilter(hash, correlationId, instanceId);
        return Where<BookmarkRecord>(where, values, orderBy: "\"CreatedAt\"");
    }

    private static (string Where, List<object?> Values) BookmarkFilter(string hash, string? correlationId, string? instanceId)
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
        return (where, values);
    }

    /// <summary>
    /// What a stimulus resumes and, when <paramref name="withTriggers"/>, what it starts: on SQLite both read in one
    /// transaction, as every published event needs both. The bookmarks come from the (hash, correlation id) index
    /// alone, which holds their keys: in the order they were made, as their ids are time-ordered.
    /// </summary>
    public async Task<(List<BookmarkTarget> Bookmarks, List<TriggerRecord> Triggers)> FindStimulusTargetsAsync(
        string hash, string? correlationId, string? instanceId, bool withTriggers, CancellationToken cancellationToken)
    {
        var (where, values) = BookmarkFilter(hash, correlationId, instanceId);
        var bookmarks = $"SELECT \"InstanceId\", \"Id\" FROM {Rows.For<BookmarkRecord>().Name} WHERE {where} ORDER BY \"Id\"";
        var triggers = TriggersOf(hash);
        if (Reads is { } reads)
        {
            return reads.InOneTransaction(session => (
                session.Query(bookmarks, values, s => new BookmarkTarget(s.Text(0), s.Text(1))),
                withTriggers ? session.Query<TriggerRecord>(triggers.Table, triggers.Sql, triggers.Values) : []));
        }
        var targets = await ReadAsync(bookmarks, values, async (reader, ct) =>
        {
            var rows = new List<BookmarkTarget>();
            while (await reader.ReadAsync(ct))
                rows.Add(new BookmarkTarget(reader.GetString(0), reader.GetString(1)));
            return rows;
        }, cancellationToken);
        return (targets, withTriggers ? await QueryAsync(triggers, cancellationToken) : []);
    }

    public async Task<List<BookmarkRecord>> ListBookmarksAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Bookmarks.AsNoTracking().Where(b => b.InstanceId == instanceId).OrderBy(b => b.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>Timer bookmarks created before <paramref name="createdBefore"/> whose scheduler job was never recorded (a crash right after the commit).</summary>
    public async Task<List<BookmarkRecord>> ListUnscheduledTimersAsync(DateTime createdBefore, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Bookmarks.AsNoTracking().Where(b => b.DueAt != null && b.SchedulerJobId == null && b.CreatedAt < createdBefore).ToListAsync(cancellationToken);
    }

    /// <summary>Timer bookmarks in due order, a page at a time after (<paramref name="afterDueAt"/>, <paramref name="afterId"/>).</summary>
    public async Task<List<BookmarkRecord>> ListTimersAsync(DateTime? dueBefore, DateTime afterDueAt, string afterId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Bookmarks.AsNoTracking().Where(b => b.DueAt != null
            && (b.DueAt > afterDueAt || (b.DueAt == afterDueAt && string.Compare(b.Id, afterId) > 0)));
        if (dueBefore != null)
            query = query.Where(b => b.DueAt <= dueBefore);
        return await query.OrderBy(b => b.DueAt).ThenBy(b => b.Id).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<BookmarkRecord?> FindBookmarkAsync(string instanceId, string bookmarkId, CancellationToken cancellationToken) =>
        (await QueryAsync<BookmarkRecord>("\"InstanceId\" = @p0 AND \"Id\" = @p1", [instanceId, bookmarkId], cancellationToken)).FirstOrDefault();

    /// <summary>Records a timer's job, through the group commit like the burst that created the timer.</summary>
    public async Task SetSchedulerJobIdAsync(string instanceId, string bookmarkId, string jobId, CancellationToken cancellationToken) =>
        await Group.CommitAsync(new WritePlan().Execute($"UPDATE {Rows.For<BookmarkRecord>().Name} SET \"SchedulerJobId\" = @p0 WHERE \"InstanceId\" = @p1 AND \"Id\" = @p2",
            [jobId, instanceId, bookmarkId]));

    public async Task<List<JournalRecord>> ListJournalAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var bursts = await db.JournalBursts.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.FirstSequence).ToListAsync(cancellationToken);
        return [.. bursts.SelectMany(JournalEntries.Unpack)];
    }

    public async Task<List<IncidentRecord>> ListIncidentsAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Incidents.AsNoTracking().Where(i => i.InstanceId == instanceId).OrderBy(i => i.Timestamp).ToListAsync(cancellationToken);
    }

    public async Task<List<WorkflowInstanceRecord>> ListInstancesAsync(string? definitionId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.WorkflowInstances.AsNoTracking();
        if (definitionId != null)
            query = query.Where(i => i.DefinitionId == definitionId);
        return await query.OrderBy(i => i.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>A page of instances, newest first, with the total count of the filter.</summary>
    public async Task<(List<WorkflowInstanceRecord> Items, int Total)> QueryInstancesAsync(InstanceQuery filter, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.WorkflowInstances.AsNoTracking();
        if (filter.DefinitionId != null)
            query = query.Where(i => i.DefinitionId == filter.DefinitionId);
        if (filter.Status != null)
            query = query.Where(i => i.Status == filter.Status);
        if (filter.SubStatus != null)
            query = query.Where(i => i.SubStatus == filter.SubStatus);
        if (filter.CorrelationId != null)
            query = query.Where(i => i.CorrelationId == filter.CorrelationId);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id)
            .Skip(filter.Page * filter.PageSize).Take(filter.PageSize).ToListAsync(cancellationToken);
        return (items, total);
    }

    // ---------------------------------------------------------------- outbox

    public async Task<OutboxRecord?> FindOutboxAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Outbox.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
    }

    public async Task<OutboxRecord?> FindOutboxByProviderIdAsync(string providerId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Outbox.AsNoTracking().FirstOrDefaultAsync(o => o.ProviderId == providerId, cancellationToken);
    }

    /// <summary>Adds messages written outside a workflow step (a staff change told to another system); a repeated key is ignored.</summary>
    public async Task AddOutboxAsync(IReadOnlyList<OutboxRecord> records, CancellationToken cancellationToken) =>
        await Group.CommitAsync(AddNewOutboxRows(new WritePlan(), records));

    /// <summary>Adds the messages whose idempotency key is not stored yet: a step or request run again sends nothing twice.</summary>
    private WritePlan AddNewOutboxRows(WritePlan plan, IReadOnlyList<OutboxRecord> rows)
    {
        var outbox = Rows.For<OutboxRecord>();
        foreach (var row in rows)
            plan.Insert(outbox, row, suffix: " ON CONFLICT (\"IdempotencyKey\") DO NOTHING");
        return plan;
    }

    /// <summary>Writes a message's new state; commits before the caller acts on it.</summary>
    public async Task SaveOutboxAsync(OutboxRecord record, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.Outbox.Update(record);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Messages not final yet whose time has come (or that have none), oldest first.</summary>
    public async Task<List<OutboxRecord>> ListOutboxDueAsync(DateTime now, int limit, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        string[] open = [OutboxStatus.Pending, OutboxStatus.Held, OutboxStatus.Sending];
        return await db.Outbox.AsNoTracking().Where(o => open.Contains(o.Status) && (o.NotBefore == null || o.NotBefore <= now))
            .OrderBy(o => o.CreatedAt).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<List<OutboxRecord>> ListOutboxAsync(string? correlationId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Outbox.AsNoTracking();
        if (correlationId != null)
            query = query.Where(o => o.CorrelationId == correlationId);
        return await query.OrderByDescending(o => o.CreatedAt).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<int> CountOutboxBacklogAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Outbox.CountAsync(o => o.Status == OutboxStatus.Pending || o.Status == OutboxStatus.Held || o.Status == OutboxStatus.Sending, cancellationToken);
    }

    public async Task<bool> IsOptedOutAsync(string channel, string address, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.ContactConsents.AnyAsync(c => c.Channel == channel && c.Address == address && c.OptedOut, cancellationToken);
    }

    /// <summary>Records an opt-out or opt-in with its source; returns false when it was already so.</summary>
    public async Task<bool> SetConsentAsync(string channel, string address, bool optedOut, string source, DateTime at, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await db.ContactConsents.FirstOrDefaultAsync(c => c.Channel == channel && c.Address == address, cancellationToken);
        if (row is null)
        {
            row = new ContactConsentRecord { Channel = channel, Address = address };
            db.ContactConsents.Add(row);
        }
        else if (row.OptedOut == optedOut)
        {
            return false;
        }
        row.OptedOut = optedOut;
        row.UpdatedAt = at;
        var history = System.Text.Json.Nodes.JsonNode.Parse(row.History)!.AsArray();
        history.Add(new System.Text.Json.Nodes.JsonObject { ["optedOut"] = optedOut, ["at"] = at, ["source"] = source });
        row.History = history.ToJsonString();
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Stores an inbound message once (a provider retrying its webhook is ignored); false when it was known.</summary>
    public async Task<bool> AddInboundAsync(InboundMessageRecord message, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (message.ProviderId != null && await db.InboundMessages.AnyAsync(m => m.ProviderId == message.ProviderId, cancellationToken))
            return false;
        db.InboundMessages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<List<InboundMessageRecord>> ListInboundAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.InboundMessages.AsNoTracking().OrderByDescending(m => m.ReceivedAt).Take(limit).ToListAsync(cancellationToken);
    }

    // ---------------------------------------------------------------- human tasks

    public async Task<HumanTaskRecord?> FindTaskAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.HumanTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
    }

    /// <summary>Open tasks for a person: assigned to them, or to one of their roles and not claimed by someone else; soonest due first.</summary>
    public async Task<List<HumanTaskRecord>> ListOpenTasksAsync(string userName, IReadOnlyList<string> roles, bool all, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var roleList = roles.ToList();
        var query = db.HumanTasks.AsNoTracking().Where(t => t.Status == HumanTaskStatus.Open);
        if (!all)
        {
            query = query.Where(t => t.AssigneeUser == userName || t.ClaimedBy == userName
                || (t.AssigneeUser == null && t.ClaimedBy == null && t.AssigneeRole != null && roleList.Contains(t.AssigneeRole)));
        }
        var tasks = await query.ToListAsync(cancellationToken);
        return [.. tasks.OrderBy(t => t.DueAt ?? DateTime.MaxValue).ThenBy(t => t.CreatedAt)];
    }

    /// <summary>Sets who works on an open task; false when it is not open (or, with <paramref name="onlyIfFree"/>, when someone else has it).</summary>
    public async Task<bool> SetTaskHolderAsync(string id, string? claimedBy, string? assigneeUser, string? assigneeRole, bool onlyIfFree, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.HumanTasks.Where(t => t.Id == id && t.Status == HumanTaskStatus.Open);
        if (onlyIfFree)
            query = query.Where(t => t.ClaimedBy == null || t.ClaimedBy == claimedBy);
        return await query.ExecuteUpdateAsync(s => s
            .SetProperty(t => t.ClaimedBy, claimedBy)
            .SetProperty(t => t.AssigneeUser, t => assigneeUser ?? t.AssigneeUser)
            .SetProperty(t => t.AssigneeRole, t => assigneeRole ?? t.AssigneeRole), cancellationToken) == 1;
    }

    public async Task<List<HumanTaskRecord>> ListTasksByCorrelationAsync(string correlationId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.HumanTasks.AsNoTracking().Where(t => t.CorrelationId == correlationId).OrderBy(t => t.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>Completed tasks whose workflow has not moved on yet (a crash between the two): their bookmark still exists.</summary>
    public async Task<List<HumanTaskRecord>> ListCompletedTasksNotResumedAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.HumanTasks.AsNoTracking().Where(t => t.Status == HumanTaskStatus.Completed && db.Bookmarks.Any(b => b.InstanceId == t.InstanceId && b.Id == t.BookmarkId)).ToListAsync(cancellationToken);
    }

    // ---------------------------------------------------------------- approvals

    public async Task<List<ApprovalRecord>> ListApprovalsByCorrelationAsync(string correlationId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Approvals.AsNoTracking().Where(a => a.CorrelationId == correlationId).OrderBy(a => a.CreatedAt).ToListAsync(cancellationToken);
    }

    public async Task<ApprovalRecord?> FindApprovalAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Approvals.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
    }

    /// <summary>Records the first time the customer opened an approval's link.</summary>
    public async Task MarkApprovalOpenedAsync(string id, DateTime at, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Approvals.Where(a => a.Id == id && a.OpenedAt == null).ExecuteUpdateAsync(s => s.SetProperty(a => a.OpenedAt, at), cancellationToken);
    }

    /// <summary>Answered approvals whose workflow has not moved on yet (a crash in between, before decisions committed with it).</summary>
    public async Task<List<ApprovalRecord>> ListAnsweredApprovalsNotResumedAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Approvals.AsNoTracking().Where(a => a.Status == ApprovalStatus.Answered && db.Bookmarks.Any(b => b.InstanceId == a.InstanceId && b.Id == a.BookmarkId)).ToListAsync(cancellationToken);
    }

    // ---------------------------------------------------------------- definitions and triggers

    public async Task<List<WorkflowDefinitionRecord>> ListDefinitionsAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.WorkflowDefinitions.AsNoTracking().OrderBy(d => d.DefinitionId).ThenBy(d => d.Version).ToListAsync(cancellationToken);
    }

    /// <summary>Writes definition versions (inserted or replaced) and deletes others, in one transaction.</summary>
    public async Task SaveDefinitionsAsync(IReadOnlyList<WorkflowDefinitionRecord> upserts, IReadOnlyList<string> deletedIds, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (deletedIds.Count > 0)
        {
            var ids = deletedIds.ToList();
            await db.WorkflowDefinitions.Where(d => ids.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken);
        }
        var upsertIds = upserts.Select(u => u.Id).ToList();
        var existing = await db.WorkflowDefinitions.Where(d => upsertIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        foreach (var record in upserts)
        {
            if (existing.TryGetValue(record.Id, out var row))
                db.Entry(row).CurrentValues.SetValues(record);
            else
                db.WorkflowDefinitions.Add(record);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<List<TriggerRecord>> ReplaceTriggersAsync(string definitionId, IReadOnlyList<TriggerRecord> triggers, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var old = await db.Triggers.AsNoTracking().Where(t => t.DefinitionId == definitionId).ToListAsync(cancellationToken);
        await db.Triggers.Where(t => t.DefinitionId == definitionId).ExecuteDeleteAsync(cancellationToken);
        db.Triggers.AddRange(triggers);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return old;
    }

    public Task<List<TriggerRecord>> FindTriggersAsync(string hash, CancellationToken cancellationToken) =>
        QueryAsync(TriggersOf(hash), cancellationToken);

    private Select<TriggerRecord> TriggersOf(string hash) => Where<TriggerRecord>("\"Hash\" = @p0", [hash]);

    public async Task<TriggerRecord?> FindTriggerAsync(string triggerId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Triggers.AsNoTracking().FirstOrDefaultAsync(t => t.Id == triggerId, cancellationToken);
    }

    /// <summary>Records the job of a trigger's next start and when it is due (null: no further start).</summary>
    public async Task SetTriggerJobAsync(string triggerId, string? jobId, DateTime? nextStart, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Triggers.Where(t => t.Id == triggerId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.SchedulerJobId, jobId)
            .SetProperty(t => t.StartAt, nextStart), cancellationToken);
    }

    public async Task<bool> InstanceExistsAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.WorkflowInstances.AnyAsync(i => i.Id == instanceId, cancellationToken);
    }

    public async Task<List<TriggerRecord>> ListScheduledTriggersAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Triggers.AsNoTracking().Where(t => t.StartAt != null || t.Interval != null || t.CronExpression != null).ToListAsync(cancellationToken);
    }
}

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
