namespace Followup.Activities.Data;

/// <summary>What the customer came for: a concern in their words or a menu service requested.</summary>
public sealed class Concern
{
    public long Id { get; set; }
    public required string VisitId { get; set; }
    public required string Text { get; set; }
    public string? CatalogCode { get; set; }
    public string Warranty { get; set; } = WarrantyStatus.NotCovered;
}
