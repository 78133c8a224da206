namespace Followup.Activities.Data;

/// <summary>A repeat repair: the same concern on the same vehicle within the window, linked to the original visit.</summary>
public sealed class Comeback
{
    public required string Id { get; set; }
    public required string VisitId { get; set; }
    public required string OriginalVisitId { get; set; }
    public required string Concern { get; set; }
    public string? TechnicalLead { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The advisor who flagged it by hand (null when detected), and why.</summary>
    public string? SetBy { get; set; }

    public string? Reason { get; set; }
}
