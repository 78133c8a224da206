using Followup.Workflows.Abstractions;
using Followup.Workflows.Definitions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Flowchart;

[Activity("Elsa", "Flow", "A container that runs one embedded activity.", DisplayName = "Container")]
public sealed class FlowNode : Activity
{
    [Port]
    public ActivityNode? Body { get; set; }

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (Body is null)
            return context.CompleteAsync();
        context.ScheduleActivity(Body);
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes) =>
        context.CompleteAsync();
}
