using Followup.Workflows.Abstractions;
using Followup.Workflows.Definitions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Control;

/// <summary>Runs its body while the condition holds; the condition is evaluated before every iteration.</summary>
[Activity("Elsa", "Looping", "Execute an activity while a given condition evaluates to true.")]
public sealed class While : Activity, IBreakable
{
    [Input(Description = "The condition to evaluate before each iteration.", AutoEvaluate = false)]
    public Input<bool> Condition { get; set; } = new(null);

    [Port]
    public ActivityNode? Body { get; set; }

    public override ValueTask ExecuteAsync(ActivityExecutionContext context) => IterateAsync(context);

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes) =>
        IterateAsync(context);

    private ValueTask IterateAsync(ActivityExecutionContext context)
    {
        if (Body is null || !context.EvaluateNow(Condition))
            return context.CompleteAsync();
        context.ScheduleActivity(Body);
        return ValueTask.CompletedTask;
    }
}
