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

    /// <summary>Rows of modules' tables the burst's activities write (<see cref="BurstRecords"/>).</summary>
    public IReadOnlyList<RecordWrite> Records { get; init; } = [];

    /// <summary>A module's write prepared in the burst, made in the commit's transaction (<see cref="IPreparedWrite"/>).</summary>
    public IPreparedWrite? Prepared { get; init; }

    /// <summary>The burst's open transaction, when its steps used one; the commit writes in it.</summary>
    public Sql.BurstTransaction? Transaction { get; init; }

    /// <summary>False for a child run inline in its parent's step: its parent commits the transaction.</summary>
    public bool CommitTransaction { get; init; } = true;
    public bool ResolveIncidents { get; init; }
}

public sealed class WorkflowConcurrencyException(string instanceId)
    : Exception($"Workflow instance {instanceId} was changed by another resume since it was loaded.")
{
    public string InstanceId { get; } = instanceId;
}

/// <summary>
/// The run path's port to the database: load an instance, commit a burst, find what a stimulus resumes or starts, and
/// the timers. <see cref="Sqlite.SqliteRunStore"/> (one host, the fast path) and <see cref="Postgres.PostgresRunStore"/>
/// (several hosts) implement it; one contract test suite runs against both.
/// </summary>
public interface IWorkflowRunStore
{
    Task<WorkflowInstanceRecord?> FindInstanceAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// The instance to run a burst of: the row this store last committed for it, when it keeps one, else the stored
    /// row. A kept copy that turns out stale fails the burst's revision check and is dropped.
    /// </summary>
    Task<WorkflowInstanceRecord?> FindInstanceToRunAsync(string id, CancellationToken cancellationToken);

    /// <summary>Drops the kept copy of an instance found stale; false when there was none (the row came from the database).</summary>
    bool ForgetInstance(string id);

    /// <summary>Writes a burst; a stale revision fails it (<see cref="WorkflowConcurrencyException"/>) before anything is written.</summary>
    Task CommitAsync(CommitBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// What a stimulus resumes (through the (hash, correlation id) index, in the order the bookmarks were made) and,
    /// when <paramref name="withTriggers"/>, what it starts.
    /// </summary>
    Task<(List<BookmarkTarget> Bookmarks, List<TriggerRecord> Triggers)> FindStimulusTargetsAsync(
        string hash, string? correlationId, string? instanceId, bool withTriggers, CancellationToken cancellationToken);

    Task<BookmarkRecord?> FindBookmarkAsync(string instanceId, string bookmarkId, CancellationToken cancellationToken);

    Task<List<BookmarkRecord>> ListBookmarksAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Records a timer's scheduler job.</summary>
    Task SetSchedulerJobIdAsync(string instanceId, string bookmarkId, string jobId, CancellationToken cancellationToken);

    /// <summary>Timer bookmarks in due order, a page at a time after (<paramref name="afterDueAt"/>, <paramref name="afterId"/>).</summary>
    Task<List<BookmarkRecord>> ListTimersAsync(DateTime? dueBefore, DateTime afterDueAt, string afterId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Timer bookmarks without a recorded job, due by <paramref name="dueBefore"/> and created before
    /// <paramref name="createdBefore"/>: timers set beyond the scheduler's horizon that have come within it, and those
    /// whose job a crash right after the commit kept from being recorded.
    /// </summary>
    Task<List<BookmarkRecord>> ListUnscheduledTimersAsync(DateTime dueBefore, DateTime createdBefore, CancellationToken cancellationToken);
}
