namespace Followup.Activities.Data;

/// <summary>The satisfaction callback of a delivered visit: honest score and comments as the customer gave them.</summary>
public sealed class CallbackRecord
{
    public required string Id { get; set; }
    public required string VisitId { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime DeadlineAt { get; set; }

    /// <summary>call or sms.</summary>
    public string Mode { get; set; } = "call";

    public string Status { get; set; } = CallbackStatus.Pending;
    public int Attempts { get; set; }
    public int? Score { get; set; }
    public bool? Resolved { get; set; }
    public string? Comments { get; set; }
    public string? Agent { get; set; }
    public bool Escalated { get; set; }
    public DateTime? DoneAt { get; set; }

    /// <summary>When the SMS survey went out (after unanswered calls, or instead of them); only a reply to the latest survey to a number is its answer.</summary>
    public DateTime? SurveySentAt { get; set; }
}
