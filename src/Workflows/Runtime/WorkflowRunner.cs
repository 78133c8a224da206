using System.Text.Json.Nodes;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Definitions;
using Followup.Workflows.Registry;
using Followup.Workflows.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Followup.Workflows.Runtime;

/// <summary>What a burst should do: start a new instance, resume a bookmark, or retry faulted activities.</summary>
public sealed record RunRequest
{
    public string? BookmarkId { get; init; }
    public IReadOnlyDictionary<string, object?>? Input { get; init; }
    public bool RetryFaulted { get; init; }
}

/// <summary>
/// Runs an instance until it is blocked: takes work items off a FIFO queue and executes them until the queue is
/// empty. Containers drive progress through completion callbacks; there is no central graph walker.
/// </summary>
public sealed class WorkflowRunner(
    ActivityRegistry registry,
    TimeProvider clock,
    IIdentityGenerator ids,
    IOptions<EngineOptions> options,
    ILogger<WorkflowRunner> logger)
{
    internal TimeProvider Clock { get; } = clock;
    internal IIdentityGenerator Ids { get; } = ids;
    internal FlowchartExecutionMode DefaultFlowchartMode => options.Value.FlowchartMode;

    public WorkflowExecutionContext CreateInstance(WorkflowGraph graph, NewInstance spec, IServiceProvider services, CancellationToken cancellationToken)
    {
        var wec = new WorkflowExecutionContext(graph, spec.InstanceId ?? Ids.NewId(), this, services, cancellationToken)
        {
            CorrelationId = spec.CorrelationId,
            ParentInstanceId = spec.ParentInstanceId,
            Input = new Dictionary<string, object?>(spec.Input ?? new Dictionary<string, object?>(), StringComparer.OrdinalIgnoreCase),
            TriggerActivityId = spec.TriggerActivityId,
            CreatedAt = Clock.GetUtcNow(),
            IsFirstBurst = true,
        };
        foreach (var (k, v) in spec.Properties ?? new Dictionary<string, object?>())
            wec.Properties[k] = v;
        if (spec.ParentInstanceId != null)
            wec.Properties[WorkflowProperties.ParentInstanceId] = spec.ParentInstanceId;
        wec.Name = graph.Definition.Name;
        return wec;
    }

    public async Task RunAsync(WorkflowExecutionContext wec, RunRequest request)
    {
        if (wec.Status == WorkflowStatus.Finished && !request.RetryFaulted)
            return;
        wec.Status = WorkflowStatus.Running;
        wec.SubStatus = WorkflowSubStatus.Executing;

        if (request.BookmarkId != null)
        {
            var bookmark = wec.Bookmarks.FirstOrDefault(b => b.Id == request.BookmarkId)
                ?? throw new BookmarkNotFoundException(wec.InstanceId, request.BookmarkId);
            var owner = wec.FindContext(bookmark.ActivityInstanceId)
                ?? throw new InvalidOperationException($"Bookmark {bookmark.Id} points at activity execution {bookmark.ActivityInstanceId}, which the instance does not have.");
            if (bookmark.AutoBurn)
                wec.Bookmarks.Remove(bookmark);
            wec.Enqueue(new WorkItem { Node = owner.Node, Existing = owner, Bookmark = bookmark, Input = request.Input?.ToDictionary() });
        }
        else if (request.RetryFaulted)
        {
            foreach (var faulted in wec.Contexts.Where(c => c.Status == ActivityStatus.Faulted).ToList())
            {
                faulted.Status = ActivityStatus.Pending;
                wec.Enqueue(new WorkItem { Node = faulted.Node, Existing = faulted });
            }
            wec.Incidents.Clear();
        }
        else if (wec.RootContext == null)
        {
            wec.Enqueue(new WorkItem { Node = wec.Graph.Root });
        }

        var limit = options.Value.MaxActivityExecutionsPerBurst;
        var executed = 0;
        while (wec.Scheduler.First is { } item)
        {
            wec.Scheduler.RemoveFirst();
            wec.CancellationToken.ThrowIfCancellationRequested();
            if (++executed > limit)
            {
                StopRunaway(wec, item.Value, limit);
                break;
            }
            await ExecuteAsync(wec, item.Value);
            if (wec.Status == WorkflowStatus.Finished)
            {
                wec.Scheduler.Clear();
                break;
            }
        }

        if (wec.Status == WorkflowStatus.Running)
            wec.SubStatus = wec.RootContext?.Status == ActivityStatus.Completed ? WorkflowSubStatus.Finished : WorkflowSubStatus.Suspended;
        wec.IsFirstBurst = false;
    }

    private async Task ExecuteAsync(WorkflowExecutionContext wec, WorkItem item)
    {
        if (item.Owner is { Status: not ActivityStatus.Running })
            return;
        var context = item.Existing ?? CreateContext(wec, item.Node, item.Owner, item.Input);
        if (context.Status is ActivityStatus.Canceled or ActivityStatus.Completed)
            return;
        if (item.Existing != null && item.Input != null)
            context.ResumeInput = item.Input.ToDictionary(StringComparer.OrdinalIgnoreCase);
        context.ClearEvaluatedInputs();

        try
        {
            var activity = registry.CreateActivity(context.Node, wec.Services);
            if (item.Bookmark != null)
            {
                context.ResumedBookmark = item.Bookmark;
                context.Status = ActivityStatus.Running;
                wec.AddJournal(context, "Resumed", item.Bookmark.Name);
                await activity.ResumeAsync(context);
            }
            else
            {
                context.Status = ActivityStatus.Running;
                context.StartedAt = Clock.GetUtcNow();
                wec.AddJournal(context, "Started");
                await activity.ExecuteAsync(context);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Fault(wec, context, ex);
        }
        finally
        {
            context.ResumedBookmark = null;
        }
    }

    internal ActivityExecutionContext CreateContext(WorkflowExecutionContext wec, ActivityNode node, ActivityExecutionContext? owner, IDictionary<string, object?>? input, string? id = null)
    {
        var context = new ActivityExecutionContext(wec, id ?? wec.NewId(), node, owner);
        if (input != null)
            context.Input = input;
        owner?.Children.Add(context);
        wec.Contexts.Add(context);
        if (owner == null)
        {
            wec.RootContext = context;
            context.Scope = new WorkflowScope(wec.Definition) { Inputs = wec.Input };
            context.DeclareVariables(wec.Definition.Variables);
        }
        context.DeclareVariables(node.Variables);
        return context;
    }

    internal async ValueTask CompleteAsync(ActivityExecutionContext context, Outcomes outcomes)
    {
        if (context.Status != ActivityStatus.Running)
            return;
        var wec = context.Workflow;
        foreach (var child in context.Children.Where(c => c.Status is ActivityStatus.Running or ActivityStatus.Pending).ToList())
            await CancelAsync(child);

        context.Status = ActivityStatus.Completed;
        context.CompletedAt = Clock.GetUtcNow();
        wec.AddJournal(context, "Completed", outcomes == Outcomes.Default ? null : outcomes.ToString());
        context.ClearBookmarks();

        if (context.Parent is { } parent)
        {
            if (parent.Status == ActivityStatus.Running)
                await registry.CreateActivity(parent.Node, wec.Services).OnChildCompletedAsync(parent, context, outcomes);
            Forget(context);
        }
        else
        {
            wec.Status = WorkflowStatus.Finished;
            wec.SubStatus = WorkflowSubStatus.Finished;
            wec.FinishedAt = Clock.GetUtcNow();
            wec.Bookmarks.Clear();
        }
    }

    internal async ValueTask CancelAsync(ActivityExecutionContext context)
    {
        if (context.Status is ActivityStatus.Canceled or ActivityStatus.Completed)
            return;
        var wec = context.Workflow;
        RemoveScheduledWork(wec, context);
        context.Status = ActivityStatus.Canceled;
        context.ClearBookmarks();
        wec.AddJournal(context, "Canceled");
        if (context.Parent is { Status: ActivityStatus.Running } parent)
            await registry.CreateActivity(parent.Node, wec.Services).OnChildCanceledAsync(parent, context);
        foreach (var child in context.Children.ToList())
            await CancelAsync(child);
        if (context.Parent != null)
            Forget(context);
    }

    /// <summary>Cancels the whole instance: every running activity is cancelled and the instance ends as Cancelled.</summary>
    public async Task CancelInstanceAsync(WorkflowExecutionContext wec)
    {
        if (wec.Status == WorkflowStatus.Finished)
            return;
        if (wec.RootContext != null)
        {
            wec.RootContext.Status = ActivityStatus.Canceled;
            foreach (var child in wec.RootContext.Children.ToList())
                await CancelAsync(child);
        }
        wec.Scheduler.Clear();
        wec.Bookmarks.Clear();
        wec.Status = WorkflowStatus.Finished;
        wec.SubStatus = WorkflowSubStatus.Cancelled;
        wec.FinishedAt = Clock.GetUtcNow();
        wec.AddJournal(null, "Workflow cancelled");
    }

    private static void RemoveScheduledWork(WorkflowExecutionContext wec, ActivityExecutionContext context)
    {
        for (var node = wec.Scheduler.First; node != null;)
        {
            var next = node.Next;
            if (node.Value.Existing == context || node.Value.Owner == context)
                wec.Scheduler.Remove(node);
            node = next;
        }
    }

    /// <summary>A finished execution is dropped from the tree; what others need of it lives in the output register.</summary>
    private static void Forget(ActivityExecutionContext context)
    {
        if (context.Parent?.Parent is null)
            return;
        context.Parent?.Children.Remove(context);
        context.Workflow.Contexts.Remove(context);
    }

    /// <summary>
    /// A burst that runs more activities than the limit without waiting once (a loop in which no step waits) is stopped:
    /// the instance faults with an incident that says why, instead of running on and filling memory.
    /// </summary>
    private void StopRunaway(WorkflowExecutionContext wec, WorkItem next, int limit)
    {
        var context = next.Existing ?? next.Owner ?? wec.RootContext!;
        Fault(wec, context, new RunawayBurstException(limit, next.Node.DisplayName));
        wec.Status = WorkflowStatus.Finished;
        wec.SubStatus = WorkflowSubStatus.Faulted;
        wec.FinishedAt ??= Clock.GetUtcNow();
        wec.Scheduler.Clear();
    }

    private void Fault(WorkflowExecutionContext wec, ActivityExecutionContext context, Exception exception)
    {
        var root = exception is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : exception;
        context.Status = ActivityStatus.Faulted;
        var incident = new Incident
        {
            Id = wec.NewId(),
            ActivityId = context.Node.Id,
            ActivityNodeId = context.Node.NodeId,
            ActivityInstanceId = context.Id,
            ActivityType = context.Node.Type,
            Message = root.Message,
            ExceptionType = root.GetType().FullName,
            StackTrace = root.StackTrace,
            Timestamp = Clock.GetUtcNow(),
        };
        wec.Incidents.Add(incident);
        wec.AddJournal(context, "Faulted", root.Message);
        EngineLog.ActivityFaulted(logger, wec.InstanceId, context.Node.NodeId, context.Node.Type, root);
        if (!wec.ContinueWithIncidents)
        {
            wec.Status = WorkflowStatus.Finished;
            wec.SubStatus = WorkflowSubStatus.Faulted;
            wec.FinishedAt = Clock.GetUtcNow();
            wec.Scheduler.Clear();
        }
    }

    // ---------------------------------------------------------------- state

    public WorkflowState ExtractState(WorkflowExecutionContext wec, int definitionVersion)
    {
        var kept = wec.Contexts.Where(c => c.Status is not (ActivityStatus.Completed or ActivityStatus.Canceled) || c == wec.RootContext);
        return new WorkflowState
        {
            Id = wec.InstanceId,
            DefinitionId = wec.Definition.DefinitionId,
            DefinitionVersionId = wec.Definition.Id,
            DefinitionVersion = definitionVersion,
            CorrelationId = wec.CorrelationId,
            Name = wec.Name,
            ParentInstanceId = wec.ParentInstanceId,
            Status = wec.Status,
            SubStatus = wec.SubStatus,
            CreatedAt = wec.CreatedAt,
            UpdatedAt = Clock.GetUtcNow(),
            FinishedAt = wec.FinishedAt,
            TriggerActivityId = wec.TriggerActivityId,
            Input = JsonValues.ToObject(wec.Input),
            Properties = JsonValues.ToObject(wec.Properties),
            Bookmarks = [.. wec.Bookmarks],
            Incidents = [.. wec.Incidents],
            Contexts = kept.Select(c => new ContextState
            {
                Id = c.Id,
                ParentId = c.Parent?.Id,
                NodeId = c.Node.NodeId,
                Status = c.Status,
                StartedAt = c.StartedAt,
                Input = c.Input.Count == 0 ? null : JsonValues.ToObject(c.Input),
                Properties = c.Properties.Count == 0 ? null : new Dictionary<string, object?>(c.Properties, StringComparer.Ordinal),
                Variables = c.Variables is null ? null : JsonValues.ToObject(PersistentVariables(c)),
                Scope = c.Scope is null ? null : new ScopeState
                {
                    DefinitionVersionId = c.Scope.Definition.Id,
                    Inputs = JsonValues.ToObject(c.Scope.Inputs),
                    Outputs = JsonValues.ToObject(c.Scope.Outputs),
                    CompletionOutcomes = c.CompletionOutcomes?.Names.ToList(),
                },
            }).ToList(),
            ActivityOutputs = JsonValues.ToObject(wec.ActivityOutputs.ToDictionary(kv => kv.Key, kv => (object?)kv.Value)),
            ActivityNames = new Dictionary<string, string>(wec.ActivityNames),
            LastResult = JsonValues.ToNode(wec.LastResult),
            JournalSequence = wec.JournalSequence,
        };
    }

    private static Dictionary<string, object?> PersistentVariables(ActivityExecutionContext context) =>
        context.Variables!
            .Where(kv => context.VariableDeclarations?.FirstOrDefault(d => d.Name == kv.Key)?.IsTransient != true)
            .ToDictionary(kv => kv.Key, kv => kv.Value);

    public WorkflowExecutionContext LoadInstance(WorkflowGraph graph, WorkflowState state, IServiceProvider services, Func<string, WorkflowDefinition?> findVersion, CancellationToken cancellationToken)
    {
        var wec = new WorkflowExecutionContext(graph, state.Id, this, services, cancellationToken)
        {
            CorrelationId = state.CorrelationId,
            Name = state.Name,
            ParentInstanceId = state.ParentInstanceId,
            Status = state.Status,
            SubStatus = state.SubStatus,
            CreatedAt = state.CreatedAt,
            FinishedAt = state.FinishedAt,
            TriggerActivityId = state.TriggerActivityId,
            Input = JsonValues.ToDictionary(state.Input),
            Properties = JsonValues.ToDictionary(state.Properties),
            JournalSequence = state.JournalSequence,
            LastResult = JsonValues.ToClr(state.LastResult),
        };
        wec.Bookmarks.AddRange(state.Bookmarks);
        wec.Incidents.AddRange(state.Incidents);
        wec.LoadedIncidentIds = state.Incidents.Select(i => i.Id).ToHashSet();
        foreach (var (k, v) in state.ActivityOutputs)
            wec.ActivityOutputs[k] = JsonValues.ToDictionary(v as JsonObject ?? []);
        foreach (var (k, v) in state.ActivityNames)
            wec.ActivityNames[k] = v;

        var byId = new Dictionary<string, ActivityExecutionContext>(StringComparer.Ordinal);
        foreach (var cs in state.Contexts)
        {
            var parent = cs.ParentId is null ? null : byId.GetValueOrDefault(cs.ParentId);
            var node = graph.FindNode(cs.NodeId)
                ?? throw new InvalidOperationException($"Instance {state.Id} refers to node '{cs.NodeId}', which definition version {state.DefinitionVersionId} does not have.");
            var context = new ActivityExecutionContext(wec, cs.Id, node, parent)
            {
                Status = cs.Status,
                StartedAt = cs.StartedAt,
                Input = cs.Input is null ? new Dictionary<string, object?>() : JsonValues.ToDictionary(cs.Input),
            };
            foreach (var (k, v) in cs.Properties ?? [])
                context.Properties[k] = v;
            if (cs.Variables != null)
            {
                context.VariableDeclarations = parent == null ? [.. wec.Definition.Variables, .. node.Variables] : [.. node.Variables];
                context.Variables = JsonValues.ToDictionary(cs.Variables, StringComparer.Ordinal);
            }
            if (cs.Scope != null)
            {
                var definition = parent == null ? wec.Definition : findVersion(cs.Scope.DefinitionVersionId)
                    ?? throw new InvalidOperationException($"Instance {state.Id} uses workflow version {cs.Scope.DefinitionVersionId}, which is not stored.");
                context.Scope = new WorkflowScope(definition)
                {
                    Inputs = parent == null ? wec.Input : JsonValues.ToDictionary(cs.Scope.Inputs),
                    Outputs = JsonValues.ToDictionary(cs.Scope.Outputs),
                };
                if (parent != null)
                {
                    graph.GetChildRoot(node, definition);
                    context.VariableDeclarations = [.. definition.Variables];
                }
                context.CompletionOutcomes = cs.Scope.CompletionOutcomes is { } outcomes ? new Outcomes(outcomes) : null;
            }
            parent?.Children.Add(context);
            wec.Contexts.Add(context);
            byId[cs.Id] = context;
            if (parent == null)
                wec.RootContext = context;
        }
        return wec;
    }
}

/// <summary>How a new instance starts.</summary>
public sealed record NewInstance
{
    public string? InstanceId { get; init; }
    public string? CorrelationId { get; init; }
    public string? ParentInstanceId { get; init; }
    public string? TriggerActivityId { get; init; }
    public IReadOnlyDictionary<string, object?>? Input { get; init; }
    public IReadOnlyDictionary<string, object?>? Properties { get; init; }
}

public sealed class BookmarkNotFoundException(string instanceId, string bookmarkId)
    : Exception($"Instance {instanceId} has no bookmark {bookmarkId}: it was already resumed or never existed.")
{
    public string InstanceId { get; } = instanceId;
    public string BookmarkId { get; } = bookmarkId;
}

public sealed class RunawayBurstException(int limit, string activity)
    : Exception($"The workflow ran {limit} activities without waiting once (the limit, Engine:MaxActivityExecutionsPerBurst) and was stopped before '{activity}': a loop in which no step waits?");

public sealed class EngineOptions
{
    /// <summary>Activities one burst may run before it is stopped as a runaway loop; the instance then faults.</summary>
    public int MaxActivityExecutionsPerBurst { get; set; } = 100_000;

    public const string SectionName = "Engine";

    /// <summary>How flowcharts join branches when a workflow does not say (custom property <c>Flowchart:ExecutionMode</c>).</summary>
    public FlowchartExecutionMode FlowchartMode { get; set; } = FlowchartExecutionMode.CounterBased;

    /// <summary>Limits for JavaScript expressions: a runaway script faults its instance instead of hanging the host.</summary>
    public TimeSpan ScriptTimeout { get; set; } = TimeSpan.FromSeconds(2);
    public int ScriptMaxStatements { get; set; } = 1_000_000;
    public int ScriptMaxRecursion { get; set; } = 200;
    public long ScriptMemoryLimitBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Folder of the shipped workflow definitions loaded at start.</summary>
    public string? DefinitionsPath { get; set; }

    /// <summary>Publishing fails when validation finds errors (a bad cron expression).</summary>
    public bool FailOnValidationErrors { get; set; } = true;
}

/// <summary>Ids for instances, contexts and bookmarks. Engine code never calls Guid.NewGuid itself.</summary>
public interface IIdentityGenerator
{
    string NewId();
}

/// <summary>
/// Version 7 UUIDs (RFC 9562) in 32 hex digits, as <c>Guid.CreateVersion7().ToString("N")</c> writes them: the
/// millisecond first, so ids made later sort later and rows inserted by id go in at the end of their index.
/// </summary>
public sealed class SequentialGuidIdentityGenerator : IIdentityGenerator
{
    private const int RandomBytes = 10;

    /// <summary>Cryptographic random bytes fetched 4 KiB at a time: one system call serves about 400 ids, not one.</summary>
    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_used;

    public string NewId()
    {
        if (t_random is null)
        {
            t_random = new byte[4096];
            t_used = t_random.Length;
        }
        if (t_used + RandomBytes > t_random.Length)
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(t_random);
            t_used = 0;
        }
        Span<byte> id = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(id[..8], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 16);
        t_random.AsSpan(t_used, RandomBytes).CopyTo(id[6..]);
        t_used += RandomBytes;
        id[6] = (byte)(0x70 | (id[6] & 0x0F)); // version 7
        id[8] = (byte)(0x80 | (id[8] & 0x3F)); // RFC 9562 variant
        return Convert.ToHexStringLower(id);
    }
}
