using Followup.Workflows.Abstractions;
using Followup.Workflows.Definitions;
using Followup.Workflows.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Followup.Workflows.Runtime;

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

    public WorkflowState ExtractState(WorkflowExecutionContext wec, int definitionVersion) => InstanceState.ExtractState(wec, definitionVersion);

    public WorkflowExecutionContext LoadInstance(WorkflowGraph graph, WorkflowState state, IServiceProvider services, Func<string, WorkflowDefinition?> findVersion, CancellationToken cancellationToken) =>
        InstanceState.LoadInstance(this, graph, state, services, findVersion, cancellationToken);

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

        if (wec.FaultPending)
        {
            wec.FaultPending = false;
            wec.Status = WorkflowStatus.Finished;
            wec.SubStatus = WorkflowSubStatus.Faulted;
            wec.FinishedAt ??= Clock.GetUtcNow();
        }
        else if (wec.Status == WorkflowStatus.Running)
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
        catch (Exception ex) when (ex is not OperationCanceledException and not Persistence.PreparedWriteException)
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
            wec.SubStatus = wec.FaultPending ? WorkflowSubStatus.Faulted : WorkflowSubStatus.Finished;
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
    public Task CancelInstanceAsync(WorkflowExecutionContext wec) => EndInstanceAsync(wec, WorkflowSubStatus.Cancelled, "Workflow cancelled");

    /// <summary>Finishes the whole instance now (Elsa's Finish): whatever else runs is cancelled and the instance ends as Finished.</summary>
    internal Task FinishInstanceAsync(WorkflowExecutionContext wec) => EndInstanceAsync(wec, WorkflowSubStatus.Finished, "Workflow finished");

    private async Task EndInstanceAsync(WorkflowExecutionContext wec, WorkflowSubStatus subStatus, string journal)
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
        wec.SubStatus = subStatus;
        wec.FinishedAt = Clock.GetUtcNow();
        wec.AddJournal(null, journal);
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
        // As in Elsa, work already scheduled in other branches still runs; the instance ends Faulted when the burst ends.
        if (!wec.ContinueWithIncidents)
            wec.FaultPending = true;
    }
}
