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

/// <summary>
/// A side effect of a workflow step (a message to a customer), written in the same transaction as the step. The
/// idempotency key (instance, activity execution, index) is unique: a step run again cannot add a second row.
/// </summary>
public sealed class OutboxRecord
{
    public required string Id { get; set; }
    public required string IdempotencyKey { get; set; }
    public required string Channel { get; set; }
    public required string Recipient { get; set; }

    /// <summary>The rendered message as JSON (subject, text, HTML, language), read by the channel's sender.</summary>
    public required string Payload { get; set; }

    public bool Urgent { get; set; }
    public string Status { get; set; } = OutboxStatus.Pending;
    public int Attempts { get; set; }

    /// <summary>Not sent before this time (quiet hours, retry backoff).</summary>
    public DateTime? NotBefore { get; set; }

    public string? ProviderId { get; set; }
    public string? Error { get; set; }
    public string? ErrorCode { get; set; }

    /// <summary>JSON array of { status, at, detail }: every state the message went through.</summary>
    public string History { get; set; } = "[]";

    public string? InstanceId { get; set; }
    public string? CorrelationId { get; set; }
    public string? ActivityId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? AttemptStartedAt { get; set; }
}

public static class OutboxStatus
{
    public const string Pending = "Pending";
    public const string Held = "Held";
    public const string Sending = "Sending";
    public const string Sent = "Sent";
    public const string Delivered = "Delivered";
    public const string Failed = "Failed";
    public const string Blocked = "Blocked";

    public static bool IsFinal(string status) => status is Sent or Delivered or Failed or Blocked;
}

/// <summary>Whether a customer's address (an E.164 phone number, an email address) may receive messages on a channel.</summary>
public sealed class ContactConsentRecord
{
    public required string Channel { get; set; }
    public required string Address { get; set; }
    public bool OptedOut { get; set; }

    /// <summary>JSON array of { optedOut, at, source }: who or what changed it and when.</summary>
    public string History { get; set; } = "[]";

    public DateTime UpdatedAt { get; set; }
}

/// <summary>A message a customer sent us that no workflow was waiting for: it lands in the inbox as a conversation.</summary>
public sealed class InboundMessageRecord
{
    public required string Id { get; set; }
    public required string Channel { get; set; }
    public required string From { get; set; }
    public required string Body { get; set; }
    public string? ProviderId { get; set; }
    public bool Handled { get; set; }
    public DateTime ReceivedAt { get; set; }
}

/// <summary>A piece of work for a person (an advisor, a technician, a callback agent), created by a waiting workflow step.</summary>
public sealed class HumanTaskRecord
{
    public required string Id { get; set; }
    public required string InstanceId { get; set; }
    public string? CorrelationId { get; set; }
    public required string ActivityId { get; set; }
    public required string BookmarkId { get; set; }
    public required string Title { get; set; }
    public string? Instructions { get; set; }
    public string Language { get; set; } = "zh-CN";

    /// <summary>JSON: { fields: [{ name, label, type, required, options }], actions: ["Done", ...] }.</summary>
    public required string Form { get; set; }

    public string? AssigneeRole { get; set; }
    public string? AssigneeUser { get; set; }
    public string? ClaimedBy { get; set; }
    public string Status { get; set; } = HumanTaskStatus.Open;
    public DateTime? DueAt { get; set; }
    public string? EscalateToRole { get; set; }
    public DateTime? EscalatedAt { get; set; }
    public string? Outcome { get; set; }

    /// <summary>JSON object of the submitted values.</summary>
    public string? Result { get; set; }

    public string? CompletedBy { get; set; }
    public DateTime? CompletedAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

public static class HumanTaskStatus
{
    public const string Open = "Open";
    public const string Completed = "Completed";
    public const string Cancelled = "Cancelled";
}

/// <summary>A request for the customer's decision on priced lines (an estimate, additional work), answered from a link or recorded by an advisor.</summary>
public sealed class ApprovalRecord
{
    public required string Id { get; set; }
    public required string Kind { get; set; }
    public required string InstanceId { get; set; }
    public string? CorrelationId { get; set; }
    public required string BookmarkId { get; set; }
    public required string CustomerName { get; set; }
    public string Language { get; set; } = "zh-CN";

    /// <summary>JSON: { intro, lines: [{ id, description, reason, labour, parts, price, hours }] }.</summary>
    public required string Content { get; set; }

    public string Status { get; set; } = ApprovalStatus.Pending;
    public DateTime ExpiresAt { get; set; }

    /// <summary>JSON array of the line ids approved.</summary>
    public string? ApprovedLines { get; set; }

    public string? Decision { get; set; }
    public string? DecidedBy { get; set; }
    public string? DecidedVia { get; set; }
    public string? SignedName { get; set; }
    public string? ClientIp { get; set; }
    public string? UserAgent { get; set; }
    public DateTime? DecidedAt { get; set; }

    /// <summary>When the customer first opened the link: staff see sent / opened / decided, never the link.</summary>
    public DateTime? OpenedAt { get; set; }

    public DateTime CreatedAt { get; set; }
}

public static class ApprovalStatus
{
    public const string Pending = "Pending";
    public const string Answered = "Answered";
    public const string TimedOut = "TimedOut";
}
