using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Primitives;

[Activity("Elsa", "Primitives", "Assign a value to a workflow variable.")]
public sealed class SetVariable : CodeActivity
{
    [Input(Description = "The variable to assign the value to.", UIHint = "variable-picker")]
    public VariableReference? Variable { get; set; }

    [Input(Description = "The value to assign.")]
    public Input<object> Value { get; set; } = new(null);

    protected override ValueTask RunAsync(ActivityExecutionContext context)
    {
        var reference = Variable ?? throw new InvalidOperationException($"{context.Node} names no variable.");
        var value = context.Get(Value);
        if (context.Parent is { } parent && reference.Id is { Length: > 0 } id && HasDeclaration(parent, id))
            parent.WriteMemory(id, value);
        else
            context.SetVariable(reference.Name ?? reference.Id ?? "", value);
        return ValueTask.CompletedTask;
    }

    private static bool HasDeclaration(ActivityExecutionContext context, string id) =>
        context.Ancestors().Prepend(context).Any(c => c.VariableDeclarations?.Any(d => d.Id == id) == true);
}

/// <summary>A variable as SetVariable names it in JSON: <c>{ "id": "...", "name": "...", "typeName": "..." }</c>.</summary>
public sealed record VariableReference
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? TypeName { get; init; }
}
