using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Flowchart;

[Activity("Elsa", "Branching", "Branch execution into multiple branches.", DisplayName = "Fork (flow)")]
public sealed class FlowFork : Activity
{
    [Input(Description = "The names of the branches to follow.", UIHint = "dynamic-outcomes")]
    public Input<List<string>> Branches { get; set; } = new(null);

    public override ValueTask ExecuteAsync(ActivityExecutionContext context) =>
        context.CompleteAsync(new Outcomes(context.Get(Branches) ?? []));
}
