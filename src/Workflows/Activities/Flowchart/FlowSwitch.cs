using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Flowchart;

[Activity("Elsa", "Branching", "Evaluate a set of case conditions and schedule the activity for a matching case.", DisplayName = "Switch (flow)")]
[FlowNode("Default")]
public sealed class FlowSwitch : Activity
{
    [Input(Description = "The cases to evaluate.", UIHint = "flow-switch-editor")]
    public List<FlowSwitchCase> Cases { get; set; } = [];

    [Input(Description = "MatchFirst follows the first matching case; MatchAny follows every matching case.", DefaultValue = SwitchMode.MatchFirst, UIHint = "dropdown")]
    public Input<SwitchMode> Mode { get; set; } = new(null);

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var matches = new List<string>();
        foreach (var c in Cases)
        {
            if (context.Evaluate(c.Condition, typeof(bool)) is true)
            {
                matches.Add(c.Label);
                if (context.Get(Mode) == SwitchMode.MatchFirst)
                    break;
            }
        }
        return context.CompleteAsync(matches.Count == 0 ? ["Default"] : [.. matches]);
    }
}

public sealed record FlowSwitchCase
{
    public string Label { get; init; } = "";
    public Expression? Condition { get; init; }
}

public enum SwitchMode
{
    MatchFirst,
    MatchAny,
}
