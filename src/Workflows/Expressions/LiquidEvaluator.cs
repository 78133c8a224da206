using System.Collections.Concurrent;
using Fluid;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Expressions;

/// <summary>Liquid templates (Fluid) with Elsa's model: Variables, Input, CorrelationId, WorkflowInstanceId, WorkflowDefinitionId.</summary>
public sealed class LiquidEvaluator
{
    private static readonly FluidParser Parser = new();
    private readonly ConcurrentDictionary<string, IFluidTemplate> _templates = new(StringComparer.Ordinal);
    private readonly TemplateOptions _options = new() { MaxSteps = 100_000, MaxRecursion = 50 };

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
