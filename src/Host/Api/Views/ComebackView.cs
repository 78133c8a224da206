using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>A comeback: this visit repeats a concern of an earlier one within the comeback window.</summary>
public sealed record ComebackView(string OriginalVisitId, string Concern, string? TechnicalLead, DateTime CreatedAt)
{
    public static ComebackView From(Comeback c) => new(c.OriginalVisitId, c.Concern, c.TechnicalLead, c.CreatedAt);
}
