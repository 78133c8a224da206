using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Flowchart;

[Activity("Elsa", "Branching", "Evaluate a Boolean condition to determine which path to execute next.", DisplayName = "Decision")]
[FlowNode("True", "False")]
public sealed class FlowDecision : Activity
{
    [Input(Description = "The condition to evaluate.", UIHint = "singleline")]
    public Input<bool> Condition { get; set; } = new(null);

    public override ValueTask ExecuteAsync(ActivityExecutionContext context) =>
        context.CompleteAsync(context.Get(Condition) ? "True" : "False");
}
