using Followup.Workflows.Abstractions;
using Followup.Workflows.Activities.Flowchart;
using Followup.Workflows.Definitions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Control;

/// <summary>Cases with embedded activities (<c>cases[i].activity</c>); the default activity when none matches.</summary>
[Activity("Elsa", "Branching", "Evaluate a set of case conditions and schedule the activity for a matching case.")]
public sealed class Switch : Activity
{
    [Input(Description = "The cases to evaluate.", UIHint = "switch-editor")]
    public List<FlowSwitchCase> Cases { get; set; } = [];

    [Input(Description = "MatchFirst runs the first matching case; MatchAny runs every matching case.", DefaultValue = SwitchMode.MatchFirst, UIHint = "dropdown")]
    public Input<SwitchMode> Mode { get; set; } = new(null);

    [Port]
    public ActivityNode? Default { get; set; }

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var scheduled = 0;
        for (var i = 0; i < Cases.Count; i++)
        {
            if (context.Evaluate(Cases[i].Condition, typeof(bool)) is not true)
                continue;
            if (context.Node.Ports.TryGetValue($"case:{i}", out var activity))
            {
                context.ScheduleActivity(activity);
                scheduled++;
            }
            if (context.Get(Mode) == SwitchMode.MatchFirst)
                break;
        }
        if (scheduled == 0 && Default != null)
        {
            context.ScheduleActivity(Default);
            scheduled++;
        }
        context.SetProperty("Pending", (long)scheduled);
        return scheduled == 0 ? context.CompleteAsync() : ValueTask.CompletedTask;
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes)
    {
        var pending = context.GetProperty<long>("Pending") - 1;
        context.SetProperty("Pending", pending);
        return pending <= 0 ? context.CompleteAsync() : ValueTask.CompletedTask;
    }
}
