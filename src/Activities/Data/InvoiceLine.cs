namespace Followup.Activities.Data;

public sealed class InvoiceLine
{
    public long Id { get; set; }
    public required string InvoiceId { get; set; }
    public required string LineKey { get; set; }
    public required string Description { get; set; }
    public decimal Labour { get; set; }
    public decimal Parts { get; set; }
    public decimal Discount { get; set; }

    /// <summary>The approved price this line is checked against; null when nothing was approved for it.</summary>
    public decimal? ApprovedPrice { get; set; }

    public decimal Price => Labour + Parts - Discount;
    public bool IsOverrun => ApprovedPrice is not { } approved || Price > approved;
}
