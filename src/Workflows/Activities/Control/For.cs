using Followup.Workflows.Abstractions;
using Followup.Workflows.Definitions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Control;

/// <summary>Runs its body for each number from Start to End by Step; <c>getCurrentValue()</c> gives the number.</summary>
[Activity("Elsa", "Looping", "Iterate over a sequence of steps between a start and an end number.")]
public sealed class For : Activity, IBreakable
{
    private const string CurrentKey = "CurrentValue";

    [Input(Description = "The start of the iteration.")]
    public Input<int> Start { get; set; } = new(null);

    [Input(Description = "The end of the iteration.")]
    public Input<int> End { get; set; } = new(null);

    [Input(Description = "The step size (1 when not set); a negative step counts down.")]
    public Input<int> Step { get; set; } = new(null);

    [Input(Description = "Whether the end value is part of the iteration.", DefaultValue = true)]
    public Input<bool> OuterBoundInclusive { get; set; } = new(null);

    [Port]
    public ActivityNode? Body { get; set; }

    [Output(Description = "The current number.")]
    public Output<object>? CurrentValue { get; set; }

    public override ValueTask ExecuteAsync(ActivityExecutionContext context) => NextAsync(context, context.Get(Start));

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes) =>
        NextAsync(context, context.GetProperty<long>(CurrentKey) + StepOf(context));

    private long StepOf(ActivityExecutionContext context) => context.Get(Step) is var s && s != 0 ? s : 1;

    private ValueTask NextAsync(ActivityExecutionContext context, long current)
    {
        var end = context.Get(End);
        var inclusive = OuterBoundInclusive.Expression is null || context.Get(OuterBoundInclusive);
        var step = StepOf(context);
        var inRange = step > 0
            ? inclusive ? current <= end : current < end
            : inclusive ? current >= end : current > end;
        if (!inRange || Body is null)
            return context.CompleteAsync();
        context.SetProperty(CurrentKey, current);
        context.Set(CurrentValue, current);
        context.ScheduleActivity(Body, Loops.Iteration(current, current));
        return ValueTask.CompletedTask;
    }
}
