using System.Text.Json.Nodes;

namespace Followup.Workflows.Abstractions;

/// <summary>An expression as written in Elsa JSON: <c>{ "type": "JavaScript", "value": "..." }</c>.</summary>
public sealed record Expression(string Type, JsonNode? Value)
{
    public const string Literal = "Literal";
    public const string Object = "Object";
    public const string Json = "Json";
    public const string Variable = "Variable";
    public const string Input = "Input";
    public const string JavaScript = "JavaScript";
    public const string CSharp = "CSharp";
    public const string Liquid = "Liquid";

    public static Expression FromLiteral(object? value) =>
        new(Literal, value is null ? null : JsonValue.Create(value.ToString()));

    /// <summary>The expression text (script, template or literal) as a string.</summary>
    public string? Text => Value switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => Value.ToJsonString(),
    };
}

/// <summary>A wrapped input (<c>Input&lt;T&gt;</c> in Elsa): an expression evaluated when the activity runs.</summary>
public abstract class Input
{
    protected Input(Expression? expression) => Expression = expression;

    public Expression? Expression { get; }

    public abstract Type ValueType { get; }
}

public sealed class Input<T>(Expression? expression) : Input(expression)
{
    public override Type ValueType => typeof(T);
}

/// <summary>An output binding: the id of the variable (or workflow output) that receives the value.</summary>
public abstract class Output
{
    protected Output(string? memoryReferenceId) => MemoryReferenceId = memoryReferenceId;

    public string? MemoryReferenceId { get; }

    public abstract Type ValueType { get; }
}

public sealed class Output<T>(string? memoryReferenceId) : Output(memoryReferenceId)
{
    public override Type ValueType => typeof(T);
}
