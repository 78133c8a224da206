using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Primitives;

/// <summary>Finishes the whole workflow at once: nothing scheduled runs and no bookmark stays.</summary>
[Activity("Elsa", "Primitives", "Mark the workflow as finished.")]
public sealed class Finish : Activity, ITerminalNode
{
    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        await context.CompleteAsync();
        await context.Workflow.Runner.FinishInstanceAsync(context.Workflow);
    }
}
