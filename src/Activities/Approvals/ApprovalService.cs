using System.Text.Json;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Approvals;

public enum DecisionResult
{
    Recorded,
    NotFound,
    AlreadyAnswered,
    Expired,
    Invalid,
}

/// <summary>Records a decision once (who, how, when, from where, exactly which lines) and resumes the waiting workflow.</summary>
public sealed class ApprovalService(WorkflowStore store, IWorkflowRuntime runtime, TimeProvider clock)
{
    public async Task<DecisionResult> DecideAsync(string approvalId, IReadOnlyCollection<string> approvedLineIds, string decidedBy, string via,
        string? signedName, string? clientIp, string? userAgent, CancellationToken cancellationToken)
    {
        if (await store.FindApprovalAsync(approvalId, cancellationToken) is not { } approval)
            return DecisionResult.NotFound;
        if (approval.Status != ApprovalStatus.Pending)
            return DecisionResult.AlreadyAnswered;
        var now = clock.GetUtcNow().UtcDateTime;
        if (approval.ExpiresAt <= now)
            return DecisionResult.Expired;
        var known = ApprovalContent.Lines(approval.Content).Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        if (approvedLineIds.Any(id => !known.Contains(id)))
            return DecisionResult.Invalid;
        var approved = known.Where(approvedLineIds.Contains).ToArray();
        var answered = await store.AnswerApprovalAsync(new ApprovalRecord
        {
            Id = approval.Id,
            Kind = approval.Kind,
            InstanceId = approval.InstanceId,
            BookmarkId = approval.BookmarkId,
            CustomerName = approval.CustomerName,
            Content = approval.Content,
            Decision = approved.Length == 0 ? "Declined" : approved.Length == known.Count ? "Approved" : "PartiallyApproved",
            ApprovedLines = JsonSerializer.Serialize(approved),
            DecidedBy = decidedBy,
            DecidedVia = via,
            SignedName = signedName,
            ClientIp = clientIp,
            UserAgent = userAgent,
            DecidedAt = now,
        }, cancellationToken);
        if (!answered)
            return DecisionResult.AlreadyAnswered;
        await runtime.ResumeAsync(approval.InstanceId, approval.BookmarkId, null, cancellationToken);
        return DecisionResult.Recorded;
    }
}
