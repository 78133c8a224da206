namespace Followup.Activities.Data;

/// <summary>What the customer came for: a concern in their words or a menu service requested.</summary>
public sealed class Concern
{
    public long Id { get; set; }
    public required string VisitId { get; set; }
    public required string Text { get; set; }
    public string? CatalogCode { get; set; }
    public string Warranty { get; set; } = WarrantyStatus.NotCovered;

    /// <summary>Why the concern is or is not covered, as the manager decided it.</summary>
    public string? WarrantyNote { get; set; }

    /// <summary>The maker's warranty claim reference, once the claim is filed.</summary>
    public string? ClaimRef { get; set; }
}
