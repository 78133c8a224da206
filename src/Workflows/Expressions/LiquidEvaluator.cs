using System.Collections.Concurrent;
using Fluid;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Expressions;

/// <summary>Liquid templates (Fluid) with Elsa's model: Variables, Input, CorrelationId, WorkflowInstanceId, WorkflowDefinitionId.</summary>
public sealed class LiquidEvaluator
{
    private static readonly FluidParser Parser = new();
    private readonly ConcurrentDictionary<string, IFluidTemplate> _templates = new(StringComparer.Ordinal);
    private readonly TemplateOptions _options = new() { MaxSteps = 100_000, MaxRecursion = 50 };

    /// <summary>
    /// A text input that is a Liquid template, rendered once. Written as a literal, its text is the template and is
    /// rendered here (with <paramref name="model"/>, else the workflow's model); written as any other expression
    /// (Liquid, JavaScript, a variable) its value was computed when the input was evaluated and is used as it is.
    /// Either way the data that goes into the text (a customer's name) is never read as a template itself.
    /// </summary>
    public string? RenderTemplate(Input<string>? input, ActivityExecutionContext context, IReadOnlyDictionary<string, object?>? model = null) =>
        input?.Expression switch
        {
            null => null,
            { Type: Expression.Literal } literal => literal.Text is { } text ? Render(text, model ?? BuildModel(context)) : null,
            _ => context.Get(input),
        };

    public string Render(string template, ActivityExecutionContext context) =>
        Render(template, BuildModel(context));

    public string Render(string template, IReadOnlyDictionary<string, object?> model)
    {
        var parsed = Parse(template);
        var templateContext = new TemplateContext(_options);
        foreach (var (k, v) in model)
            templateContext.SetValue(k, ValueConverter.Normalize(v));
        return parsed.Render(templateContext);
    }

    public IFluidTemplate Parse(string template)
    {
        if (_templates.TryGetValue(template, out var cached))
            return cached;
        if (!Parser.TryParse(template, out var parsed, out var error))
            throw new ScriptException($"The Liquid template does not parse: {error}");
        if (_templates.Count > 2048)
            _templates.Clear();
        _templates[template] = parsed;
        return parsed;
    }

    private static Dictionary<string, object?> BuildModel(ActivityExecutionContext context)
    {
        var wec = context.Workflow;
        var scope = context.ScopeContext.Scope!;
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Variables"] = context.VisibleVariables().ToDictionary(kv => kv.Key, kv => kv.Value),
            ["Input"] = scope.Inputs.ToDictionary(kv => kv.Key, kv => kv.Value),
            ["CorrelationId"] = wec.CorrelationId,
            ["WorkflowInstanceId"] = wec.InstanceId,
            ["WorkflowDefinitionId"] = wec.Definition.DefinitionId,
            ["WorkflowDefinitionVersionId"] = wec.Definition.Id,
            ["WorkflowDefinitionVersion"] = wec.Definition.Version,
        };
    }
}
