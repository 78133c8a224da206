using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>A comeback: this visit repeats a concern of an earlier one within the comeback window (detected, or set by an advisor with a reason).</summary>
public sealed record ComebackView(string OriginalVisitId, string Concern, string? TechnicalLead, DateTime CreatedAt, string? SetBy, string? Reason)
{
    public static ComebackView From(Comeback c) => new(c.OriginalVisitId, c.Concern, c.TechnicalLead, c.CreatedAt, c.SetBy, c.Reason);
}
