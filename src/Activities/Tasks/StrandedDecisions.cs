using Followup.Activities.Approvals;

namespace Followup.Activities.Tasks;

/// <summary>
/// Completed tasks and answered approvals whose workflow never moved on, which a database written before decisions
/// committed with their workflow can hold: resumed at start and by the minute sweep.
/// </summary>
public sealed class StrandedDecisions(TaskService tasks, ApprovalService approvals)
{
    public async Task<int> ResumeAsync(CancellationToken cancellationToken) =>
        await tasks.ResumeCompletedAsync(cancellationToken) + await approvals.ResumeAnsweredAsync(cancellationToken);
}
