namespace Followup.Workflows.Persistence;

/// <summary>Times are stored as UTC <see cref="DateTime"/>s; SQLite reads them back without a kind.</summary>
public static class StoredTime
{
    public static DateTimeOffset AsUtc(this DateTime stored) => new(DateTime.SpecifyKind(stored, DateTimeKind.Utc));
}

/// <summary>One version of a workflow definition; <see cref="Json"/> is the Elsa JSON with its flags.</summary>
public sealed class WorkflowDefinitionRecord
{
    public required string Id { get; set; }
    public required string DefinitionId { get; set; }
    public int Version { get; set; }
    public string? Name { get; set; }
    public bool IsLatest { get; set; }
    public bool IsPublished { get; set; }
    public bool UsableAsActivity { get; set; }
    public required string Json { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class WorkflowInstanceRecord
{
    public required string Id { get; set; }
    public required string DefinitionId { get; set; }
    public required string DefinitionVersionId { get; set; }
    public int DefinitionVersion { get; set; }
    public string? ParentInstanceId { get; set; }
    public string? CorrelationId { get; set; }
    public string? Name { get; set; }
    public required string Status { get; set; }
    public required string SubStatus { get; set; }
    public int IncidentCount { get; set; }
    /// <summary>The instance's <see cref="Runtime.WorkflowState"/> as JSON.</summary>
    public required Utf8Json State { get; set; }

    /// <summary>Optimistic concurrency: incremented by every commit; a commit that expected another value fails.</summary>
    public int Revision { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

/// <summary>The key of a bookmark a stimulus resumes.</summary>
public sealed record BookmarkTarget(string InstanceId, string BookmarkId);

/// <summary>A waiting point, indexed by the hash of its stimulus so a stimulus finds its instance without a scan.</summary>
public sealed class BookmarkRecord
{
    public required string Id { get; set; }
    public required string InstanceId { get; set; }
    public required string DefinitionId { get; set; }
    public required string Name { get; set; }
    public required string Hash { get; set; }
    public string? CorrelationId { get; set; }
    public required string ActivityNodeId { get; set; }
    public required string ActivityInstanceId { get; set; }
    public string? Payload { get; set; }
    public DateTime? DueAt { get; set; }

    /// <summary>The scheduler's job for a timer bookmark, deleted directly when the bookmark goes away.</summary>
    public string? SchedulerJobId { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>What starts a published workflow: an event name, a timer or a cron schedule.</summary>
public sealed class TriggerRecord
{
    public required string Id { get; set; }
    public required string DefinitionId { get; set; }
    public required string DefinitionVersionId { get; set; }
    public required string Name { get; set; }
    public required string ActivityId { get; set; }
    public required string Hash { get; set; }
    public string? Payload { get; set; }
    public DateTime? StartAt { get; set; }
    public TimeSpan? Interval { get; set; }
    public string? CronExpression { get; set; }

    /// <summary>The scheduler's job for the next timed start, deleted directly when the workflow is republished or retracted.</summary>
    public string? SchedulerJobId { get; set; }
}

/// <summary>One journal entry: what an activity execution did, and when.</summary>
public sealed class JournalRecord
{
    public required string InstanceId { get; set; }
    public long Sequence { get; set; }
    public DateTime Timestamp { get; set; }
    public string? ActivityInstanceId { get; set; }
    public string? ActivityId { get; set; }
    public string? ActivityNodeId { get; set; }
    public string? ActivityType { get; set; }
    public string? ActivityName { get; set; }
    public required string EventName { get; set; }
    public string? Message { get; set; }
}

/// <summary>
/// The journal entries one burst committed, in one row: a burst that runs a dozen activities writes one row and one
/// index entry, not two dozen of each. <see cref="Entries"/> is JSON (<see cref="JournalEntries"/>).
/// </summary>
public sealed class JournalBurstRecord
{
    public long Id { get; set; }
    public required string InstanceId { get; set; }
    public long FirstSequence { get; set; }
    public long LastSequence { get; set; }
    public required Utf8Json Entries { get; set; }
}

public sealed class IncidentRecord
{
    public required string Id { get; set; }
    public required string InstanceId { get; set; }
    public required string ActivityId { get; set; }
    public required string ActivityNodeId { get; set; }
    public required string ActivityType { get; set; }
    public required string Message { get; set; }
    public string? ExceptionType { get; set; }
    public string? StackTrace { get; set; }
    public DateTime Timestamp { get; set; }
    public DateTime? ResolvedAt { get; set; }
}
