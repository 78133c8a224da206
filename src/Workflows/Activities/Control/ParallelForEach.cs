using Followup.Workflows.Abstractions;
using Followup.Workflows.Definitions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Control;

/// <summary>Schedules its body for every item at once and completes when all iterations completed.</summary>
[Activity("Elsa", "Looping", "Iterate over a set of values in parallel.", DisplayName = "Parallel For Each")]
public sealed class ParallelForEach : Activity, IBreakable
{
    [Input(Description = "The set of values to iterate.")]
    public Input<object> Items { get; set; } = new(null);

    [Port]
    public ActivityNode? Body { get; set; }

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var items = Loops.ToList(context.Get(Items));
        if (items.Count == 0 || Body is null)
            return context.CompleteAsync();
        context.SetProperty("Pending", (long)items.Count);
        for (var i = 0; i < items.Count; i++)
            context.ScheduleActivity(Body, Loops.Iteration(items[i], i));
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes) =>
        Loops.CountDownAsync(context);
}
