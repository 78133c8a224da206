using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Control;

/// <summary>Schedules all its activities at once and completes when every one of them completed.</summary>
[Activity("Elsa", "Workflows", "Execute a set of activities in parallel.")]
public sealed class Parallel : Activity, IContainerActivity
{
    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var children = context.Node.Activities;
        if (children.Count == 0)
            return context.CompleteAsync();
        context.SetProperty("Pending", (long)children.Count);
        foreach (var child in children)
            context.ScheduleActivity(child);
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes) =>
        Loops.CountDownAsync(context);
}
