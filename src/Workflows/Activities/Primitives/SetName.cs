using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Primitives;

[Activity("Elsa", "Primitives", "Set the name of the workflow instance.")]
public sealed class SetName : CodeActivity
{
    [Input(Description = "The name to give the workflow instance.")]
    public Input<string> Value { get; set; } = new(null);

    protected override ValueTask RunAsync(ActivityExecutionContext context)
    {
        context.Workflow.Name = context.Get(Value);
        return ValueTask.CompletedTask;
    }
}
