using Followup.Workflows.Abstractions;
using Followup.Workflows.Expressions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Composition;

[Activity("Elsa", "Composition", "Assign a workflow output.")]
public sealed class SetOutput : CodeActivity
{
    [Input(Description = "The name of the workflow output.", UIHint = "output-picker")]
    public Input<string> OutputName { get; set; } = new(null);

    [Input(Description = "The value to assign.")]
    public Input<object> OutputValue { get; set; } = new(null);

    protected override ValueTask RunAsync(ActivityExecutionContext context)
    {
        var name = context.Get(OutputName) ?? throw new InvalidOperationException($"{context.Node} names no output.");
        var scope = context.ScopeContext.Scope!;
        var declared = scope.Definition.Outputs.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
        var value = context.Get(OutputValue);
        scope.Outputs[declared?.Name ?? name] = declared is null ? value : ValueConverter.ConvertToAlias(value, declared.TypeName);
        return ValueTask.CompletedTask;
    }
}
