using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Flowchart;

[Activity("Elsa", "Branching", "Explicitly merge multiple branches into a single branch of execution.", DisplayName = "Join")]
public sealed class FlowJoin : Activity
{
    [Input(Description = "WaitAny continues as soon as one inbound path arrives; WaitAll once all inbound paths were followed; WaitAllActive once all activated inbound paths arrived.",
        DefaultValue = FlowJoinMode.WaitAny, UIHint = "dropdown")]
    public Input<FlowJoinMode> Mode { get; set; } = new(null);

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.Parent is { } flowchart && flowchart.Node.ActivityType?.ClrType == typeof(Flowchart))
            await Flowchart.CancelInboundAncestorsAsync(flowchart, context.Node);
        await context.CompleteAsync();
    }
}
