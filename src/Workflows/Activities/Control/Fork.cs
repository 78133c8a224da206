using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Control;

/// <summary>Runs its branches (<c>branches</c>) at once; WaitAll completes when all are done, WaitAny on the first (cancelling the rest).</summary>
[Activity("Elsa", "Workflows", "Branch execution into multiple branches.")]
[Hidden]
public sealed class Fork : Activity, IContainerActivity
{
    [Input(Description = "WaitAll or WaitAny.", DefaultValue = ForkJoinMode.WaitAll, UIHint = "dropdown")]
    public ForkJoinMode JoinMode { get; set; } = ForkJoinMode.WaitAll;

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.Node.Activities.Count == 0)
            return context.CompleteAsync();
        foreach (var branch in context.Node.Activities)
            context.ScheduleActivity(branch);
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes)
    {
        if (JoinMode == ForkJoinMode.WaitAny)
            return context.CompleteAsync();
        var pending = context.Children.Any(c => c != child && c.Status == ActivityStatus.Running)
            || context.Workflow.HasScheduledWorkFor(w => w.Owner == context);
        return pending ? ValueTask.CompletedTask : context.CompleteAsync();
    }
}

public enum ForkJoinMode
{
    WaitAll,
    WaitAny,
}
