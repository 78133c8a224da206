using System.Text.Json;
using System.Text.Json.Nodes;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Followup.Workflows.Serialization;

namespace Followup.Workflows.Expressions;

/// <summary>Evaluates an input's expression in the context of an activity execution and converts the result.</summary>
public sealed class ExpressionEvaluator(JavaScriptEvaluator javaScript, LiquidEvaluator liquid, CSharpEvaluator cSharp)
{
    public static readonly IReadOnlyList<string> SupportedTypes =
        [Expression.Literal, Expression.Object, Expression.Json, Expression.Variable, Expression.Input, Expression.JavaScript, Expression.Liquid, Expression.CSharp];

    public object? Evaluate(Expression? expression, Type targetType, ActivityExecutionContext context)
    {
        if (expression is null)
            return ValueConverter.Convert(null, targetType);
        var value = expression.Type switch
        {
            Expression.Literal or "" => LiteralValue(expression.Value, targetType),
            Expression.Object or Expression.Json => ObjectValue(expression.Text),
            Expression.Variable => context.GetVariable(ReferenceName(expression.Value, context)),
            Expression.Input => context.ScopeContext.Scope!.Inputs.GetValueOrDefault(ReferenceName(expression.Value, context)),
            Expression.JavaScript => javaScript.Evaluate(expression.Text ?? "", context),
            Expression.Liquid => liquid.Render(expression.Text ?? "", context),
            Expression.CSharp => cSharp.Evaluate(expression.Text ?? "", context),
            _ => throw new NotSupportedException($"Expression type '{expression.Type}' is not supported. Supported: {string.Join(", ", SupportedTypes)}."),
        };
        return ValueConverter.Convert(value, targetType);
    }

    private static object? LiteralValue(JsonNode? value, Type targetType) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => targetType == typeof(string) || targetType == typeof(object)
            ? v.GetValue<string>()
            : v.GetValue<string>() is { Length: 0 } ? null : v.GetValue<string>(),
        _ => JsonValues.ToClr(value),
    };

    private static object? ObjectValue(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : JsonValues.ToClr(JsonNode.Parse(text));

    /// <summary>A Variable or Input expression names its target as a string or as a serialized reference object.</summary>
    private static string ReferenceName(JsonNode? value, ActivityExecutionContext context)
    {
        JsonNode? reference = value;
        if (value is JsonValue v && v.TryGetValue<string>(out var s))
        {
            var trimmed = s.Trim();
            if (!trimmed.StartsWith('{'))
                return trimmed;
            reference = JsonNode.Parse(trimmed);
        }
        if (reference is JsonObject obj)
        {
            var name = obj["name"]?.GetValue<string>() ?? obj["Name"]?.GetValue<string>();
            if (name != null)
                return name;
            var id = obj["id"]?.GetValue<string>() ?? obj["Id"]?.GetValue<string>();
            var declared = context.Ancestors().Prepend(context)
                .SelectMany(c => c.VariableDeclarations ?? [])
                .FirstOrDefault(d => d.Id == id);
            return declared?.Name ?? id ?? "";
        }
        return "";
    }
}
