using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Followup.Workflows.Registry;
using Followup.Workflows.Runtime;
using Followup.Workflows.Serialization;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;
using Microsoft.Extensions.Options;

namespace Followup.Workflows.Expressions;

/// <summary>
/// JavaScript expressions on Jint, with Elsa's accessors: getVariable/setVariable, get{Variable}()/set{Variable}(),
/// get{Input}(), getOutputFrom(), get{Output}From{Activity}(), getCurrentValue(), getCorrelationId(), and Elsa's helpers for
/// identifiers, Base64 and bytes. Assignments to <c>variables.X</c> write back to the variable. Every script
/// runs under time, statement, memory and recursion limits; exceeding one throws <see cref="ScriptLimitException"/>.
/// </summary>
public sealed partial class JavaScriptEvaluator(IOptions<EngineOptions> options, ActivityRegistry registry)
{
    private const int MaxCachedScripts = 2048;
    private readonly ConcurrentDictionary<string, Prepared<Acornima.Ast.Script>> _scripts = new(StringComparer.Ordinal);

    public object? Evaluate(string script, ActivityExecutionContext context, Action<Engine>? configure = null)
    {
        if (string.IsNullOrWhiteSpace(script))
            return null;
        var prepared = Prepare(script);
        // Only a script that names the variables object can assign through it: the others skip its snapshot.
        var writesVariables = script.Contains("variables", StringComparison.Ordinal);
        var engine = CreateEngine(context, writesVariables, out var variables);
        configure?.Invoke(engine);
        try
        {
            var result = ValueConverter.Normalize(engine.Evaluate(prepared).ToObject());
            if (writesVariables)
                WriteBackVariables(engine, context, variables);
            return result;
        }
        catch (Exception ex) when (ex is TimeoutException or StatementsCountOverflowException or MemoryLimitExceededException or RecursionDepthOverflowException)
        {
            throw new ScriptLimitException($"The JavaScript expression of {context.Node} exceeded its limits ({ex.Message}).", ex);
        }
        catch (JavaScriptException ex)
        {
            throw new ScriptException($"The JavaScript expression of {context.Node} failed: {ex.Message}", ex);
        }
    }

    private Prepared<Acornima.Ast.Script> Prepare(string script)
    {
        if (_scripts.TryGetValue(script, out var cached))
            return cached;
        Prepared<Acornima.Ast.Script> prepared;
        try
        {
            prepared = Engine.PrepareScript(script, options: new ScriptPreparationOptions
            {
                ParsingOptions = new ScriptParsingOptions { AllowReturnOutsideFunction = true },
            });
        }
        catch (Exception ex) when (ex is not ScriptException)
        {
            throw new ScriptException($"The JavaScript expression does not parse: {ex.Message}", ex);
        }
        if (_scripts.Count >= MaxCachedScripts)
            _scripts.Clear();
        _scripts[script] = prepared;
        return prepared;
    }

    /// <summary>As in Elsa, what a script assigned to <c>variables.X</c> is written back to the workflow variable X.</summary>
    private static void WriteBackVariables(Engine engine, ActivityExecutionContext context, Dictionary<string, string> before)
    {
        if (engine.GetValue("variables") is not Jint.Native.Object.ObjectInstance bag)
            return;
        foreach (var key in bag.GetOwnPropertyKeys())
        {
            var name = key.ToString();
            var value = FromJs(bag.Get(key));
            var json = JsonValues.ToNode(value)?.ToJsonString() ?? "null";
            if (before.TryGetValue(name, out var old) && old == json)
                continue;
            context.SetVariable(name, value);
        }
    }

    private Engine CreateEngine(ActivityExecutionContext context, bool snapshotVariables, out Dictionary<string, string> variablesAsJson)
    {
        var o = options.Value;
        var engine = new Engine(cfg => cfg
            .LimitRecursion(o.ScriptMaxRecursion)
            .TimeoutInterval(o.ScriptTimeout)
            .MaxStatements(o.ScriptMaxStatements)
            .LimitMemory(o.ScriptMemoryLimitBytes)
            .CancellationToken(context.CancellationToken));
        var wec = context.Workflow;
        var scope = context.ScopeContext.Scope!;

        // The loop helper first: a variable named CurrentValue defines its own getCurrentValue() below and wins.
        engine.SetValue("getCurrentValue", (Func<JsValue>)(() => ToJs(engine, CurrentValue(context))));
        engine.SetValue("getVariable", (Func<string, JsValue>)(name => ToJs(engine, context.GetVariable(name))));
        engine.SetValue("setVariable", (Action<string, JsValue>)((name, value) => context.SetVariable(name, FromJs(value))));
        var variables = context.VisibleVariables();
        variablesAsJson = snapshotVariables
            ? variables.ToDictionary(kv => kv.Key, kv => JsonValues.ToNode(ValueConverter.Normalize(kv.Value))?.ToJsonString() ?? "null", StringComparer.Ordinal)
            : [];
        engine.SetValue("variables", ToJs(engine, variables.ToDictionary(kv => kv.Key, kv => kv.Value)));
        foreach (var name in variables.Keys.Where(IsIdentifier))
        {
            // Elsa names accessors in Pascal case (getMyNumber() for myNumber); the name as written works too.
            foreach (var accessor in new[] { name, Pascal(name) }.Distinct(StringComparer.Ordinal))
            {
                engine.SetValue($"get{accessor}", (Func<JsValue>)(() => ToJs(engine, context.GetVariable(name))));
                engine.SetValue($"set{accessor}", (Action<JsValue>)(value => context.SetVariable(name, FromJs(value))));
            }
        }

        var inputNames = scope.Definition.Inputs.Select(i => i.Name).Concat(scope.Inputs.Keys).Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var name in inputNames.Where(IsIdentifier).Where(n => !variables.ContainsKey(n)))
            engine.SetValue($"get{name}", (Func<JsValue>)(() => ToJs(engine, scope.Inputs.GetValueOrDefault(name))));
        engine.SetValue("getInput", (Func<string, JsValue>)(name => ToJs(engine, scope.Inputs.GetValueOrDefault(name))));

        engine.SetValue("getOutputFrom", (Func<string, JsValue, JsValue>)((activity, output) => ToJs(engine, ReadOutput(wec, activity, output.IsUndefined() ? "Result" : output.ToString()))));
        foreach (var (activityName, outputName) in OutputAccessors(context))
            engine.SetValue($"get{outputName}From{activityName}", (Func<JsValue>)(() => ToJs(engine, ReadOutput(wec, activityName, outputName))));
        engine.SetValue("getLastResult", (Func<JsValue>)(() => ToJs(engine, wec.LastResult)));

        engine.SetValue("getCorrelationId", (Func<string?>)(() => wec.CorrelationId));
        engine.SetValue("setCorrelationId", (Action<string?>)(value => wec.CorrelationId = value));
        engine.SetValue("getWorkflowInstanceId", (Func<string>)(() => wec.InstanceId));
        engine.SetValue("getWorkflowDefinitionId", (Func<string>)(() => wec.Definition.DefinitionId));
        engine.SetValue("getWorkflowDefinitionVersionId", (Func<string>)(() => wec.Definition.Id));
        engine.SetValue("getWorkflowDefinitionVersion", (Func<int>)(() => wec.Definition.Version));
        engine.SetValue("getWorkflowInstanceName", (Func<string?>)(() => wec.Name));
        engine.SetValue("setWorkflowInstanceName", (Action<string?>)(value => wec.Name = value));
        ElsaFunctions(engine);
        engine.SetValue("isNullOrEmpty", (Func<JsValue, bool>)(v => v.IsNull() || v.IsUndefined() || v.ToString().Length == 0));
        engine.SetValue("isNullOrWhiteSpace", (Func<JsValue, bool>)(v => v.IsNull() || v.IsUndefined() || string.IsNullOrWhiteSpace(v.ToString())));
        engine.SetValue("toJson", (Func<JsValue, string>)(v => JsonValues.ToNode(FromJs(v))?.ToJsonString() ?? "null"));
        return engine;
    }

    /// <summary>Elsa's helper functions for identifiers, strings and bytes (byte arrays are arrays of numbers).</summary>
    private static void ElsaFunctions(Engine engine)
    {
        engine.SetValue("newGuid", (Func<string>)(() => Guid.NewGuid().ToString()));
        engine.SetValue("newGuidString", (Func<string>)(() => Guid.NewGuid().ToString()));
        engine.SetValue("getGuidString", (Func<string>)(() => Guid.NewGuid().ToString()));
        engine.SetValue("newShortGuid", (Func<string>)ShortGuid);
        engine.SetValue("getShortGuid", (Func<string>)ShortGuid);
        engine.SetValue("parseGuid", (Func<string, string>)(value => Guid.Parse(value).ToString()));
        engine.SetValue("stringToBase64", (Func<string, string>)(value => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value))));
        engine.SetValue("stringFromBase64", (Func<string, string>)(value => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(value))));
        engine.SetValue("bytesToString", (Func<JsValue, string>)(value => System.Text.Encoding.UTF8.GetString(Bytes(value))));
        engine.SetValue("bytesFromString", (Func<string, JsValue>)(value => ToJs(engine, System.Text.Encoding.UTF8.GetBytes(value).Select(b => (object?)(long)b).ToList())));
        engine.SetValue("bytesToBase64", (Func<JsValue, string>)(value => Convert.ToBase64String(Bytes(value))));
        engine.SetValue("bytesFromBase64", (Func<string, JsValue>)(value => ToJs(engine, Convert.FromBase64String(value).Select(b => (object?)(long)b).ToList())));
    }

    private static string ShortGuid() => Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Bytes(JsValue value) => FromJs(value) switch
    {
        IEnumerable<object?> items => items.Select(i => Convert.ToByte(i, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        byte[] bytes => bytes,
        string s => System.Text.Encoding.UTF8.GetBytes(s),
        _ => [],
    };

    private static string Pascal(string name) => char.ToUpperInvariant(name[0]) + name[1..];

    private IEnumerable<(string Activity, string Output)> OutputAccessors(ActivityExecutionContext context)
    {
        var wec = context.Workflow;
        var seen = new HashSet<(string, string)>();
        foreach (var (name, id) in wec.ActivityNames)
        {
            if (!IsIdentifier(name) || !wec.ActivityOutputs.TryGetValue(id, out var outputs))
                continue;
            foreach (var output in outputs.Keys.Where(IsIdentifier))
            {
                if (seen.Add((name, output)))
                    yield return (name, output);
            }
        }
        foreach (var node in wec.Graph.Root.Descendants())
        {
            if (node.Name is not { } name || !IsIdentifier(name))
                continue;
            var outputs = node.ActivityType?.Outputs.Select(o => o.Name) ?? registry.FindWorkflowActivity(node)?.Outputs.Select(o => o.Name) ?? [];
            foreach (var output in outputs.Where(IsIdentifier))
            {
                if (seen.Add((name, output)))
                    yield return (name, output);
            }
        }
    }

    private static object? ReadOutput(WorkflowExecutionContext wec, string activityIdOrName, string output)
    {
        var id = wec.ActivityNames.GetValueOrDefault(activityIdOrName) ?? activityIdOrName;
        return wec.ActivityOutputs.TryGetValue(id, out var outputs) ? outputs.GetValueOrDefault(output) : null;
    }

    internal static object? CurrentValue(ActivityExecutionContext context)
    {
        for (var c = context; c != null; c = c.Parent)
        {
            if (c.Input.TryGetValue("CurrentValue", out var value))
                return value;
        }
        return null;
    }

    internal static JsValue ToJs(Engine engine, object? value)
    {
        var plain = ValueConverter.Normalize(value);
        return plain switch
        {
            null => JsValue.Null,
            IDictionary<string, object?> or List<object?> => new JsonParser(engine).Parse(System.Text.Json.JsonSerializer.Serialize(plain, JsonValues.Options)),
            TimeSpan or DateTimeOffset or DateTime or Guid => JsValue.FromObject(engine, JsonValues.Format(plain)),
            _ => JsValue.FromObject(engine, plain),
        };
    }

    internal static object? FromJs(JsValue value) => ValueConverter.Normalize(value.ToObject());

    private static bool IsIdentifier(string name) => IdentifierRegex().IsMatch(name);

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]*$")]
    private static partial Regex IdentifierRegex();
}

/// <summary>A script failed (syntax or runtime error).</summary>
public class ScriptException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A script ran past its time, statement, memory or recursion limit.</summary>
public sealed class ScriptLimitException(string message, Exception inner) : ScriptException(message, inner);
