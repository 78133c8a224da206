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

    public decimal Total => TotalOf(Lines);

    /// <summary>What these lines come to.</summary>
    public static decimal TotalOf(IEnumerable<InvoiceLine> lines) => lines.Sum(l => l.Price);
}
