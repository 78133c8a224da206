using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>An estimate (the first one or additional work) with its lines and the customer's answer per line.</summary>
public sealed record EstimateView(string Id, string Kind, string Status, DateTime CreatedAt, DateTime? DecidedAt, decimal ApprovedTotal, IReadOnlyList<EstimateLineView> Lines)
{
    public static EstimateView From(Estimate e) => new(e.Id, e.Kind, e.Status, e.CreatedAt, e.DecidedAt, e.ApprovedTotal, e.Lines.OrderBy(l => l.Id).Select(EstimateLineView.From).ToList());
}
