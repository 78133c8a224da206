namespace Followup.Activities.Approvals;

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
