namespace Followup.Activities.Data;

/// <summary>The bill, reconciled line by line against what the customer approved before it can be settled.</summary>
public sealed class Invoice
{
    public required string Id { get; set; }
    public required string VisitId { get; set; }
    public required string Number { get; set; }
    public string Status { get; set; } = InvoiceStatus.Draft;
    public DateTime CreatedAt { get; set; }
    public DateTime? SettledAt { get; set; }
    public string? PaymentMethod { get; set; }
    public List<InvoiceLine> Lines { get; set; } = [];

    /// <summary>The safety-related work the customer declined or never answered, printed on the invoice; null when there is none.</summary>
    public string? DeclinedSafety { get; set; }

    /// <summary>What the bill came to when it was settled; null until then, and for a bill settled before it was kept.</summary>
    public decimal? SettledTotal { get; set; }

    /// <summary>What the customer had approved of the visit's estimate when the bill was settled; null likewise.</summary>
    public decimal? EstimatedTotal { get; set; }

    public decimal Total => TotalOf(Lines);

    /// <summary>Keeps, as the bill is settled, what it came to and what was approved of the visit's estimate (<paramref name="estimateLines"/>).</summary>
    public void KeepTotals(IEnumerable<EstimateLine> estimateLines) => (SettledTotal, EstimatedTotal) = (Total, Estimate.ApprovedTotalOf(estimateLines));

    /// <summary>What these lines come to.</summary>
    public static decimal TotalOf(IEnumerable<InvoiceLine> lines) => lines.Sum(l => l.Price);
}
