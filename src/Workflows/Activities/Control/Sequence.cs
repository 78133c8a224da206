using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Control;

[Activity("Elsa", "Workflows", "Execute a set of activities in sequence.")]
public sealed class Sequence : Activity, IContainerActivity
{
    private const string IndexKey = "CurrentIndex";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context) => ScheduleAsync(context, 0);

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes) =>
        ScheduleAsync(context, context.GetProperty(IndexKey, () => 0L) + 1);

    private static ValueTask ScheduleAsync(ActivityExecutionContext context, long index)
    {
        var children = context.Node.Activities;
        if (index >= children.Count)
            return context.CompleteAsync();
        context.SetProperty(IndexKey, index);
        context.ScheduleActivity(children[(int)index]);
        return ValueTask.CompletedTask;
    }
}
