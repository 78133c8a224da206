using Followup.Workflows.Abstractions;
using Followup.Workflows.Expressions;
using Followup.Workflows.Registry;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Composition;

/// <summary>
/// Runs another workflow, marked "usable as activity", inside this instance: the node's inputs become the child's
/// workflow inputs, the child's outputs are bound back like any activity output, and its <c>Complete</c> outcomes
/// become this activity's outcomes.
/// </summary>
internal sealed class WorkflowDefinitionActivity(ActivityRegistry registry) : Activity
{
    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var node = context.Node;
        var definition = registry.ResolveWorkflow(node)
            ?? throw new ActivityTypeNotFoundException(node.Type, node.Version, node.DisplayName);
        var evaluationContext = context.Parent ?? context;
        var inputs = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var input in definition.Inputs)
        {
            if (node.Expressions.TryGetValue(input.Name, out var expression))
                inputs[input.Name] = evaluationContext.Evaluate(expression, TypeAliases.Resolve(input.TypeName));
        }
        context.Scope = new WorkflowScope(definition) { Inputs = inputs };
        context.DeclareVariables(definition.Variables);
        context.ScheduleActivity(context.Workflow.Graph.GetChildRoot(node, definition));
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes)
    {
        var scope = context.Scope!;
        foreach (var output in scope.Definition.Outputs)
        {
            var value = scope.Outputs.TryGetValue(output.Name, out var v) ? ValueConverter.ConvertToAlias(v, output.TypeName) : null;
            context.Workflow.RecordOutput(context, output.Name, value);
            if (context.Node.OutputBindings.TryGetValue(output.Name, out var reference) && reference is { Length: > 0 })
                context.Parent?.WriteMemory(reference, value);
        }
        return context.CompleteAsync(context.CompletionOutcomes ?? Outcomes.Default);
    }
}
