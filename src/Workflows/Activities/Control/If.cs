using Followup.Workflows.Abstractions;
using Followup.Workflows.Definitions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Control;

[Activity("Elsa", "Branching", "Evaluate a Boolean condition to determine which activity to execute next.")]
[FlowNode("True", "False", "Done")]
public sealed class If : Activity
{
    [Input(Description = "The condition to evaluate.", UIHint = "singleline")]
    public Input<bool> Condition { get; set; } = new(null);

    [Port]
    public ActivityNode? Then { get; set; }

    [Port]
    public ActivityNode? Else { get; set; }

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var result = context.Get(Condition);
        context.SetProperty("Result", result);
        var branch = result ? Then : Else;
        if (branch is null)
            return context.CompleteAsync(result ? "True" : "False", Outcomes.DoneName);
        context.ScheduleActivity(branch);
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes) =>
        context.CompleteAsync(context.GetProperty<bool>("Result") ? "True" : "False", Outcomes.DoneName);
}
