using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>The bill: number, status, how it was paid, its lines.</summary>
public sealed record InvoiceView(string Id, string Number, string Status, DateTime CreatedAt, DateTime? SettledAt, string? PaymentMethod, decimal Total, IReadOnlyList<InvoiceLineView> Lines, string? DeclinedSafety)
{
    public static InvoiceView From(Invoice i) => new(i.Id, i.Number, i.Status, i.CreatedAt, i.SettledAt, i.PaymentMethod, i.Total, i.Lines.OrderBy(l => l.Id).Select(InvoiceLineView.From).ToList(), i.DeclinedSafety);
}
