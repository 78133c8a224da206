using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Control;

/// <summary>Runs its activities one after the other.</summary>
[Activity("Elsa", "Workflows", "Execute a set of activities in sequence.")]
public sealed class Sequence : Activity, IContainerActivity
{
    private const string IndexKey = "CurrentIndex";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context) => ScheduleAsync(context, 0);

    /// <summary>
    /// As in Elsa, a terminal child (End, Break, Complete, Finish) completes the sequence, and so does any child once a
    /// Break outside a loop has marked the sequence as breaking.
    /// </summary>
    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes) =>
        child.Node.ActivityType?.ClrType is { } type && typeof(ITerminalNode).IsAssignableFrom(type) || context.GetProperty<bool>(Break.BreakingKey)
            ? context.CompleteAsync()
            : ScheduleAsync(context, context.GetProperty(IndexKey, () => 0L) + 1);

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
