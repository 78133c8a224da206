using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>An estimate line: labour and parts, parts availability, and whether the customer approved it (null: not answered).</summary>
public sealed record EstimateLineView(string LineKey, string Description, string? Reason, decimal Hours, decimal Labour, decimal Parts, decimal Price, bool PartsInStock, bool? Approved, string PayType, bool Safety)
{
    public static EstimateLineView From(EstimateLine l) => new(l.LineKey, l.Description, l.Reason, l.Hours, l.Labour, l.Parts, l.Price, l.PartsInStock, l.Approved, l.PayType, l.Safety);
}
