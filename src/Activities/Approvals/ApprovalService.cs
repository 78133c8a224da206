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

/// <summary>A customer's decision on an approval: who, how, from where, and exactly which lines.</summary>
public sealed record ApprovalDecision(IReadOnlyCollection<string> ApprovedLineIds, string DecidedBy, string Via, string? SignedName, string? ClientIp, string? UserAgent)
{
    public const string InputName = "Decision";
}

/// <summary>
/// Validates a decision, then resumes the waiting workflow with it: the step records the decision in the same
/// transaction as the workflow's new state, so it is recorded exactly when the workflow moves on, and only once.
/// </summary>
public sealed class ApprovalService(ApprovalStore store, IWorkflowRuntime runtime, TimeProvider clock)
{
    public async Task<DecisionResult> DecideAsync(string approvalId, IReadOnlyCollection<string> approvedLineIds, string decidedBy, string via,
        string? signedName, string? clientIp, string? userAgent, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(approvalId, cancellationToken) is not { } approval)
            return DecisionResult.NotFound;
        if (approval.Status != ApprovalStatus.Pending)
            return approval.Status == ApprovalStatus.TimedOut ? DecisionResult.Expired : DecisionResult.AlreadyAnswered;
        // The link expires; a decision staff take by phone or at the counter is awaited until the step ends.
        if (via == "link" && approval.ExpiresAt <= clock.GetUtcNow().UtcDateTime)
            return DecisionResult.Expired;
        var known = ApprovalContent.Lines(approval.Content).Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        if (approvedLineIds.Any(id => !known.Contains(id)))
            return DecisionResult.Invalid;
        var decision = new ApprovalDecision([.. known.Where(approvedLineIds.Contains)], decidedBy, via, signedName, clientIp, userAgent);
        var resumed = await runtime.ResumeAsync(approval.InstanceId, approval.BookmarkId,
            new Dictionary<string, object?> { [ApprovalDecision.InputName] = decision }, cancellationToken);
        if (resumed.Outcome == ResumeOutcome.Resumed)
            return DecisionResult.Recorded;
        return (await store.FindAsync(approvalId, cancellationToken))?.Status == ApprovalStatus.TimedOut ? DecisionResult.Expired : DecisionResult.AlreadyAnswered;
    }

    /// <summary>
    /// Approvals a database written before decisions committed with their workflow may hold: answered, while their
    /// workflow still waits (a crash came between the two). Their workflows are resumed and read the recorded answer.
    /// </summary>
    public async Task<int> ResumeAnsweredAsync(CancellationToken cancellationToken)
    {
        var resumed = 0;
        foreach (var approval in await store.ListAnsweredNotResumedAsync(cancellationToken))
        {
            if ((await runtime.ResumeAsync(approval.InstanceId, approval.BookmarkId, null, cancellationToken)).Outcome == ResumeOutcome.Resumed)
                resumed++;
        }
        return resumed;
    }
}
