namespace Followup.Activities.Tasks;

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

    /// <summary>The title in the other language (the task's is <see cref="Language"/>): staff read a task in their own.</summary>
    public string? TitleOther { get; set; }

    /// <summary>The instructions in the other language.</summary>
    public string? InstructionsOther { get; set; }

    /// <summary>The title as a reader of <paramref name="language"/> reads it.</summary>
    public string TitleIn(string language) => language == Language || string.IsNullOrEmpty(TitleOther) ? Title : TitleOther;

    /// <summary>The instructions as a reader of <paramref name="language"/> reads them.</summary>
    public string? InstructionsIn(string language) => language == Language || string.IsNullOrEmpty(InstructionsOther) ? Instructions : InstructionsOther;
    public string Language { get; set; } = "zh-CN";

    /// <summary>JSON: { fields: [{ name, label, type, required, options }], actions: ["Done", ...] }.</summary>
    public required string Form { get; set; }

    public string? AssigneeRole { get; set; }
    public string? AssigneeUser { get; set; }

    /// <summary>Someone who may not do the task (the technician who did the work does not check it).</summary>
    public string? ExcludedUser { get; set; }
    public string? ClaimedBy { get; set; }
    public string Status { get; set; } = HumanTaskStatus.Open;
    public DateTime? DueAt { get; set; }
    public string? EscalateToRole { get; set; }
    public DateTime? EscalatedAt { get; set; }

    /// <summary>The role the task had before it was escalated: its people keep seeing and working it beside the escalation role.</summary>
    public string? EscalatedFrom { get; set; }
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
