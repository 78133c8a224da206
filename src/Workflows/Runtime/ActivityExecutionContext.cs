using System.Runtime.CompilerServices;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Definitions;
using Followup.Workflows.Expressions;
using Followup.Workflows.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Workflows.Runtime;

/// <summary>One execution of one activity. An activity inside a loop gets a new context per iteration.</summary>
public sealed class ActivityExecutionContext
{
    private readonly Dictionary<Input, object?> _evaluated = new(ReferenceEqualityComparer.Instance);

    internal ActivityExecutionContext(WorkflowExecutionContext workflow, string id, ActivityNode node, ActivityExecutionContext? parent)
    {
        Workflow = workflow;
        Id = id;
        Node = node;
        Parent = parent;
    }

    public string Id { get; }
    public ActivityNode Node { get; }
    public ActivityExecutionContext? Parent { get; }
    public WorkflowExecutionContext Workflow { get; }
    public ActivityStatus Status { get; internal set; } = ActivityStatus.Pending;
    public DateTimeOffset StartedAt { get; internal set; }
    public DateTimeOffset? CompletedAt { get; internal set; }
    internal List<ActivityExecutionContext> Children { get; } = [];

    /// <summary>Values handed over by whoever scheduled this execution (e.g. a loop's current value).</summary>
    public IDictionary<string, object?> Input { get; internal set; } = new Dictionary<string, object?>();

    /// <summary>The bookmark being resumed in this burst, if any, and the input that came with it.</summary>
    public Bookmark? ResumedBookmark { get; internal set; }
    public IReadOnlyDictionary<string, object?> ResumeInput { get; internal set; } = new Dictionary<string, object?>();

    /// <summary>State that survives persistence. Values are converted back to their type on first read.</summary>
    internal Dictionary<string, object?> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>Variables declared in this container's scope, by name.</summary>
    internal Dictionary<string, object?>? Variables { get; set; }
    internal List<VariableDefinition>? VariableDeclarations { get; set; }

    /// <summary>Set on the contexts that start a workflow scope: the workflow root and each workflow used as an activity.</summary>
    internal WorkflowScope? Scope { get; set; }

    /// <summary>Outcomes requested by a Complete activity inside this scope.</summary>
    internal Outcomes? CompletionOutcomes { get; set; }

    public IServiceProvider Services => Workflow.Services;
    public TimeProvider Clock => Workflow.Clock;
    public CancellationToken CancellationToken => Workflow.CancellationToken;
    public bool HasBookmarks => Workflow.Bookmarks.Any(b => b.ActivityInstanceId == Id);

    /// <summary>True when this activity is the trigger that started the workflow (it then completes instead of waiting).</summary>
    public bool IsTriggerOfWorkflow => Workflow.TriggerActivityId == Node.Id && Workflow.IsFirstBurst;

    public T GetRequiredService<T>() where T : notnull => Services.GetRequiredService<T>();

    public IEnumerable<ActivityExecutionContext> Ancestors()
    {
        for (var p = Parent; p != null; p = p.Parent)
            yield return p;
    }

    /// <summary>The workflow scope (root workflow or workflow-as-activity) this execution belongs to.</summary>
    internal ActivityExecutionContext ScopeContext => Scope != null ? this : Ancestors().First(a => a.Scope != null);

    // ---------------------------------------------------------------- inputs and outputs

    /// <summary>Evaluates a wrapped input (once per execution) and converts it to the input's type.</summary>
    public T? Get<T>(Input<T>? input)
    {
        if (input is null)
            return default;
        if (_evaluated.TryGetValue(input, out var cached))
            return (T?)cached;
        var value = (T?)Evaluate(input.Expression, typeof(T));
        _evaluated[input] = value;
        return value;
    }

    /// <summary>Evaluates an input every time it is called (for conditions re-checked on each iteration).</summary>
    public T? EvaluateNow<T>(Input<T>? input) => input is null ? default : (T?)Evaluate(input.Expression, typeof(T));

    public object? Evaluate(Expression? expression, Type targetType) =>
        GetRequiredService<ExpressionEvaluator>().Evaluate(expression, targetType, this);

    /// <summary>Records an output: in the activity's output register, and in the variable or workflow output it is bound to.</summary>
    public void Set(Output? output, object? value, [CallerArgumentExpression(nameof(output))] string outputName = "Result")
    {
        var name = outputName.Contains('.', StringComparison.Ordinal) ? outputName[(outputName.LastIndexOf('.') + 1)..] : outputName;
        Workflow.RecordOutput(this, name, value);
        if (output?.MemoryReferenceId is { Length: > 0 } reference)
            Parent?.WriteMemory(reference, value);
    }

    internal IReadOnlyDictionary<string, object?> EvaluatedInputs =>
        _evaluated.ToDictionary(kv => kv.Key.GetType().Name, kv => kv.Value);

    internal void ClearEvaluatedInputs() => _evaluated.Clear();

    // ---------------------------------------------------------------- variables

    public object? GetVariable(string name)
    {
        var owner = FindVariableOwner(name);
        return owner?.Variables![name];
    }

    public void SetVariable(string name, object? value)
    {
        var owner = FindVariableOwner(name) ?? ScopeContext;
        owner.Variables ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        var declaration = owner.VariableDeclarations?.FirstOrDefault(v => v.Name == name);
        owner.Variables[name] = declaration is null ? value : ValueConverter.ConvertToAlias(value, declaration.TypeName);
    }

    /// <summary>All variables visible from here, nearest scope first.</summary>
    public IReadOnlyDictionary<string, object?> VisibleVariables()
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var ctx in SelfAndAncestorsInScope())
        {
            if (ctx.Variables is null)
                continue;
            foreach (var (k, v) in ctx.Variables)
                result.TryAdd(k, v);
        }
        return result;
    }

    private IEnumerable<ActivityExecutionContext> SelfAndAncestorsInScope()
    {
        for (var c = this; c != null; c = c.Parent)
        {
            yield return c;
            if (c.Scope != null)
                yield break;
        }
    }

    private ActivityExecutionContext? FindVariableOwner(string name) =>
        SelfAndAncestorsInScope().FirstOrDefault(c => c.Variables?.ContainsKey(name) == true);

    /// <summary>Writes to a memory reference: a variable (by id or name) or, failing that, a workflow output of the scope.</summary>
    internal void WriteMemory(string reference, object? value)
    {
        foreach (var ctx in SelfAndAncestorsInScope())
        {
            var declaration = ctx.VariableDeclarations?.FirstOrDefault(v => v.Id == reference || v.Name == reference);
            if (declaration != null)
            {
                ctx.Variables ??= new Dictionary<string, object?>(StringComparer.Ordinal);
                // As in Elsa, an output keeps its shape in the variable it is bound to: an object bound to a String variable
                // stays an object (a child workflow's outputs read as getChildOutput().Response), other values are converted.
                ctx.Variables[declaration.Name] = value is IDictionary<string, object?> or List<object?> && declaration.TypeName is "String" or "string"
                    ? value
                    : ValueConverter.ConvertToAlias(value, declaration.TypeName);
                return;
            }
        }
        var scope = ScopeContext;
        if (scope.Scope!.Definition.Outputs.Any(o => o.Name == reference) || scope.Scope.Outputs.ContainsKey(reference))
            scope.Scope.Outputs[reference] = value;
    }

    internal void DeclareVariables(IEnumerable<VariableDefinition> declarations)
    {
        var list = declarations.ToList();
        if (list.Count == 0)
            return;
        VariableDeclarations = list;
        Variables ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var v in list)
            Variables[v.Name] = ValueConverter.ConvertToAlias(JsonValues.ToClr(v.Value), v.TypeName);
    }

    // ---------------------------------------------------------------- properties

    public T GetProperty<T>(string key, Func<T> factory)
    {
        if (Properties.TryGetValue(key, out var value))
        {
            if (value is T typed)
                return typed;
            var converted = JsonValues.Convert<T>(value);
            Properties[key] = converted;
            return converted!;
        }
        var created = factory();
        Properties[key] = created;
        return created;
    }

    public T? GetProperty<T>(string key) =>
        Properties.TryGetValue(key, out var value) ? value is T typed ? typed : JsonValues.Convert<T>(value) : default;

    public void SetProperty(string key, object? value) => Properties[key] = value;

    // ---------------------------------------------------------------- scheduling, completion, bookmarks

    /// <summary>Schedules a child activity; this context is notified through <see cref="Activity.OnChildCompletedAsync"/>.</summary>
    public void ScheduleActivity(ActivityNode node, IDictionary<string, object?>? input = null) =>
        Workflow.Enqueue(new WorkItem { Node = node, Owner = this, Input = input });

    public ValueTask CompleteAsync(params string[] outcomes) =>
        CompleteAsync(outcomes.Length == 0 ? Outcomes.Default : new Outcomes(outcomes));

    public ValueTask CompleteAsync(Outcomes outcomes) => Workflow.Runner.CompleteAsync(this, outcomes);

    public ValueTask CancelAsync() => Workflow.Runner.CancelAsync(this);

    /// <summary>Creates a bookmark: the activity does not complete, and the instance suspends when nothing else can run.</summary>
    public Bookmark CreateBookmark(string name, object? payload = null, DateTimeOffset? dueAt = null, bool includeActivityInstanceId = false, bool autoBurn = true)
    {
        var bookmark = new Bookmark
        {
            Id = Workflow.NewId(),
            Name = name,
            Hash = StimulusHash.Compute(name, payload, includeActivityInstanceId ? Id : null),
            Payload = StimulusHash.ToPayloadNode(payload),
            ActivityId = Node.Id,
            ActivityNodeId = Node.NodeId,
            ActivityInstanceId = Id,
            CreatedAt = Clock.GetUtcNow(),
            AutoBurn = autoBurn,
            DueAt = dueAt,
        };
        Workflow.Bookmarks.Add(bookmark);
        Workflow.AddJournal(this, "Suspended", name);
        return bookmark;
    }

    public void ClearBookmarks() => Workflow.Bookmarks.RemoveAll(b => b.ActivityInstanceId == Id);

    /// <summary>Removes this execution's bookmarks of one name (a timer that no longer applies).</summary>
    public void ClearBookmarks(string name) => Workflow.Bookmarks.RemoveAll(b => b.ActivityInstanceId == Id && b.Name == name);

    /// <summary>Runs work after the burst's state is committed (start a child workflow, publish an event).</summary>
    public void AfterCommit(Func<IServiceProvider, CancellationToken, Task> action) => Workflow.AfterCommit.Add(action);

    public override string ToString() => $"{Node} [{Status}]";
}

/// <summary>What a workflow scope holds: the definition it runs, its inputs and its outputs.</summary>
internal sealed class WorkflowScope(WorkflowDefinition definition)
{
    public WorkflowDefinition Definition { get; } = definition;
    public Dictionary<string, object?> Inputs { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, object?> Outputs { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
