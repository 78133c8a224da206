using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>A bill line with the price the customer approved for it, if any.</summary>
public sealed record InvoiceLineView(string LineKey, string Description, decimal Labour, decimal Parts, decimal Discount, decimal Price, decimal? ApprovedPrice, bool IsOverrun, string PayType)
{
    public static InvoiceLineView From(InvoiceLine l) => new(l.LineKey, l.Description, l.Labour, l.Parts, l.Discount, l.Price, l.ApprovedPrice, l.IsOverrun, l.PayType);
}
