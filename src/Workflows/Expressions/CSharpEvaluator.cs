using System.Collections.Concurrent;
using System.Dynamic;
using Followup.Workflows.Runtime;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.Extensions.Options;

namespace Followup.Workflows.Expressions;

/// <summary>
/// Elsa's C# expressions, compiled once per text with Roslyn scripting: the code sees <c>Variables</c> (read and write
/// by name, <c>Variables.UserId</c> or <c>Variables["UserId"]</c>), <c>Input</c>, <c>WorkflowInstanceId</c> and
/// <c>CorrelationId</c>, and gives its value by <c>return</c> or as its last expression. Only when
/// <see cref="EngineOptions.AllowCSharp"/> is on.
/// </summary>
public sealed class CSharpEvaluator(IOptions<EngineOptions> options)
{
    private const int MaxCachedScripts = 512;
    private static readonly ScriptOptions Script = ScriptOptions.Default
        .WithReferences(typeof(object).Assembly, typeof(Enumerable).Assembly, typeof(DynamicObject).Assembly, typeof(Microsoft.CSharp.RuntimeBinder.Binder).Assembly)
        .WithImports("System", "System.Linq", "System.Collections.Generic");

    private readonly ConcurrentDictionary<string, Lazy<ScriptRunner<object?>>> _scripts = new(StringComparer.Ordinal);

    public object? Evaluate(string code, ActivityExecutionContext context)
    {
        if (!options.Value.AllowCSharp)
            throw new ScriptException($"{context.Node} has a C# expression, and C# expressions are off on this host (setting {EngineOptions.SectionName}:{nameof(EngineOptions.AllowCSharp)}).");
        if (string.IsNullOrWhiteSpace(code))
            return null;
        if (_scripts.Count >= MaxCachedScripts)
            _scripts.Clear();
        var runner = _scripts.GetOrAdd(code, c => new Lazy<ScriptRunner<object?>>(() => Compile(c))).Value;
        try
        {
            return ValueConverter.Normalize(runner(new CSharpGlobals(context), context.CancellationToken).GetAwaiter().GetResult());
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ScriptException)
        {
            throw new ScriptException($"The C# expression of {context.Node} failed: {ex.Message}", ex);
        }
    }

    private static ScriptRunner<object?> Compile(string code)
    {
        var script = CSharpScript.Create<object?>(code, Script, typeof(CSharpGlobals));
        var errors = script.Compile().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
            throw new ScriptException($"The C# expression does not compile: {string.Join("; ", errors.Select(e => e.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))}");
        return script.CreateDelegate();
    }
}

/// <summary>What a C# expression sees.</summary>
public sealed class CSharpGlobals(ActivityExecutionContext context)
{
    public dynamic Variables { get; } = new VariableBag(context);
    public dynamic Input { get; } = new InputBag(context);
    public string WorkflowInstanceId => context.Workflow.InstanceId;
    public string? CorrelationId => context.Workflow.CorrelationId;

    private sealed class VariableBag(ActivityExecutionContext context) : DynamicObject
    {
        public override bool TryGetMember(GetMemberBinder binder, out object? result)
        {
            result = context.GetVariable(binder.Name);
            return true;
        }

        public override bool TrySetMember(SetMemberBinder binder, object? value)
        {
            context.SetVariable(binder.Name, value);
            return true;
        }

        public override bool TryGetIndex(GetIndexBinder binder, object[] indexes, out object? result)
        {
            result = context.GetVariable(indexes[0]?.ToString() ?? "");
            return true;
        }

        public override bool TrySetIndex(SetIndexBinder binder, object[] indexes, object? value)
        {
            context.SetVariable(indexes[0]?.ToString() ?? "", value);
            return true;
        }
    }

    private sealed class InputBag(ActivityExecutionContext context) : DynamicObject
    {
        public override bool TryGetMember(GetMemberBinder binder, out object? result)
        {
            result = context.ScopeContext.Scope!.Inputs.GetValueOrDefault(binder.Name);
            return true;
        }

        public override bool TryGetIndex(GetIndexBinder binder, object[] indexes, out object? result)
        {
            result = context.ScopeContext.Scope!.Inputs.GetValueOrDefault(indexes[0]?.ToString() ?? "");
            return true;
        }
    }
}
