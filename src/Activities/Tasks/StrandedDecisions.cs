using Followup.Activities.Approvals;

namespace Followup.Activities.Tasks;

/// <summary>
/// Completed tasks and answered approvals whose workflow never moved on, which only a database written before decisions
/// committed with their workflow can hold (a crash came between the two writes): resumed once, at start. Since then a
/// decision is written by the burst that carries its workflow on, so no new ones arise.
/// </summary>
public sealed class StrandedDecisions(TaskService tasks, ApprovalService approvals)
{
    public async Task<int> ResumeAsync(CancellationToken cancellationToken) =>
        await tasks.ResumeCompletedAsync(cancellationToken) + await approvals.ResumeAnsweredAsync(cancellationToken);
}
