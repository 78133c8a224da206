using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Composition;

/// <summary>The implicit <c>Workflow1</c> above a definition's root activity: it owns the workflow's variables, inputs and outputs.</summary>
internal sealed class WorkflowRoot : Activity
{
    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (!context.Node.Ports.TryGetValue("root", out var root))
            return context.CompleteAsync();
        context.ScheduleActivity(root);
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes) =>
        context.CompleteAsync(context.CompletionOutcomes ?? Outcomes.Default);
}
