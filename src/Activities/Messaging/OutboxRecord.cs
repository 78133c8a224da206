namespace Followup.Activities.Messaging;

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
