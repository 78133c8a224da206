using Followup.Activities.Approvals;

namespace Followup.Host.Api.Views;

/// <summary>An approval asked of the customer: kind, status, decision, approved line keys, who decided, how and when.</summary>
public sealed record ApprovalView(string Id, string Kind, string Status, string? Decision, StoredJson? ApprovedLines, string? DecidedBy, string? DecidedVia,
    string? SignedName, DateTime? DecidedAt, DateTime? OpenedAt, DateTime ExpiresAt, DateTime CreatedAt)
{
    public static ApprovalView From(ApprovalRecord a) => new(a.Id, a.Kind, a.Status, a.Decision,
        StoredJson.Of(a.ApprovedLines), a.DecidedBy, a.DecidedVia, a.SignedName, a.DecidedAt, a.OpenedAt, a.ExpiresAt, a.CreatedAt);
}
