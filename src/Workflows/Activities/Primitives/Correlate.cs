using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Primitives;

[Activity("Elsa", "Primitives", "Set the correlation id of the workflow instance.")]
public sealed class Correlate : CodeActivity
{
    [Input(Description = "The correlation id, e.g. a visit number.")]
    public Input<string> CorrelationId { get; set; } = new(null);

    protected override ValueTask RunAsync(ActivityExecutionContext context)
    {
        context.Workflow.CorrelationId = context.Get(CorrelationId);
        return ValueTask.CompletedTask;
    }
}
