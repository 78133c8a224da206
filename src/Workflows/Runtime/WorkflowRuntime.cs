using System.Runtime.CompilerServices;
using System.Text.Json;
using Followup.Workflows.Activities.Primitives;
using Followup.Workflows.Definitions;
using Followup.Workflows.Management;
using Followup.Workflows.Persistence;
using Followup.Workflows.Scheduling;
using Followup.Workflows.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Followup.Workflows.Runtime;

/// <summary>
/// The durable runtime: each burst runs under the instance's lock, is committed in one transaction (state,
/// bookmarks, journal, incidents) with an optimistic revision check, and only then are side effects started
/// (timers scheduled, child workflows dispatched, parents resumed).
/// </summary>
public sealed class WorkflowRuntime(
    WorkflowRunner runner,
    IWorkflowRunStore store,
    WorkflowDefinitionCache definitions,
    WorkflowDefinitionReader reader,
    IWorkflowLock locks,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    WorkflowMetrics metrics,
    WorkflowDefinitionService definitionService,
    BurstCommitter committer,
    ILogger<WorkflowRuntime> logger) : IWorkflowRuntime
{
    private const int MaxCommitAttempts = 3;

    private static readonly ConditionalWeakTable<WorkflowDefinition, WorkflowGraph> Graphs = new();

    public async Task<WorkflowRunResult> StartAsync(StartWorkflowRequest request, CancellationToken cancellationToken)
    {
        if (request.DefinitionVersionId is null && request.DefinitionId is { } definitionId)
            await definitionService.EnsureCurrentAsync(definitionId, cancellationToken);
        var definition = FindDefinition(request);
        await using var scope = scopes.CreateAsyncScope();
        var wec = runner.CreateInstance(GraphOf(definition), new NewInstance
        {
            InstanceId = request.InstanceId,
            CorrelationId = request.CorrelationId,
            ParentInstanceId = request.ParentInstanceId,
            TriggerActivityId = request.TriggerActivityId,
            Input = request.Input,
            Properties = request.Properties,
        }, scope.ServiceProvider, cancellationToken);
        if (request.InlineParent is { } parent)
        {
            wec.InlineParent = parent;
            // A write the parent's burst prepared is made first, in the transaction the child shares, so the child reads it.
            wec.Transaction = parent.Records.Prepared != null ? await parent.TransactionAsync() : parent.Transaction;
        }
        await using (await locks.AcquireAsync(wec.InstanceId, cancellationToken))
        {
            try
            {
                EngineLog.InstanceStarted(logger, wec.InstanceId, definition.DefinitionId);
                await runner.RunAsync(wec, new RunRequest());
                await committer.CommitAsync(wec, definition, null, null, cancellationToken);
            }
            finally
            {
                await wec.EndTransactionAsync();
            }
            metrics.Started(definition.DefinitionId);
            metrics.StatusChanged(definition.DefinitionId, null, wec.SubStatus);
        }
        await AfterCommitAsync(wec, scope.ServiceProvider, cancellationToken);
        return ToResult(wec);
    }

    public async Task<ResumeResult> ResumeAsync(string instanceId, string bookmarkId, IReadOnlyDictionary<string, object?>? input, CancellationToken cancellationToken) =>
        await RunExistingAsync(instanceId, new RunRequest { BookmarkId = bookmarkId, Input = input }, cancellationToken);

    public async Task<WorkflowRunResult?> RetryAsync(string instanceId, CancellationToken cancellationToken) =>
        (await RunExistingAsync(instanceId, new RunRequest { RetryFaulted = true }, cancellationToken)).Run;

    public async Task<WorkflowRunResult?> CancelAsync(string instanceId, CancellationToken cancellationToken) =>
        (await RunExistingAsync(instanceId, null, cancellationToken)).Run;

    public async Task<WorkflowRunResult?> FindAsync(string instanceId, CancellationToken cancellationToken)
    {
        var record = await store.FindInstanceAsync(instanceId, cancellationToken);
        if (record is null)
            return null;
        var state = JsonSerializer.Deserialize<WorkflowState>(record.State.Span, JsonValues.Options)!;
        var definition = await FindVersionAsync(state.DefinitionVersionId, cancellationToken);
        if (definition is null)
            return null;
        await using var scope = scopes.CreateAsyncScope();
        return ToResult(runner.LoadInstance(GraphOf(definition), state, scope.ServiceProvider, definitions.FindVersion, cancellationToken));
    }

    private async Task<ResumeResult> RunExistingAsync(string instanceId, RunRequest? request, CancellationToken cancellationToken)
    {
        var prepareWrites = true;
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            WorkflowExecutionContext wec;
            await using (await locks.AcquireAsync(instanceId, cancellationToken))
            {
                var started = clock.GetTimestamp();
                // A retry reads the stored row: the copy kept from this store's last commit may be what failed.
                var record = attempt == 1
                    ? await store.FindInstanceToRunAsync(instanceId, cancellationToken)
                    : await store.FindInstanceAsync(instanceId, cancellationToken);
                if (record is null)
                    return new ResumeResult(ResumeOutcome.InstanceNotFound, null);
                var state = JsonSerializer.Deserialize<WorkflowState>(record.State.Span, JsonValues.Options)!;
                if (request?.BookmarkId is { } bookmarkId && state.Bookmarks.All(b => b.Id != bookmarkId))
                {
                    // Another process may have moved the instance on since this store's copy: look at the stored row.
                    if (attempt == 1 && store.ForgetInstance(instanceId))
                        continue;
                    EngineLog.BookmarkAlreadyConsumed(logger, instanceId, bookmarkId);
                    return new ResumeResult(ResumeOutcome.BookmarkNotFound, null);
                }
                var definition = await FindVersionAsync(state.DefinitionVersionId, cancellationToken)
                    ?? throw new InvalidOperationException($"Instance {instanceId} runs definition version {state.DefinitionVersionId}, which is not stored.");
                wec = runner.LoadInstance(GraphOf(definition), state, scope.ServiceProvider, definitions.FindVersion, cancellationToken);
                wec.MayPrepareWrites = prepareWrites;
                var loadedBookmarks = state.Bookmarks;
                try
                {
                    if (request is null)
                        await runner.CancelInstanceAsync(wec);
                    else
                    {
                        if (request.BookmarkId != null)
                            EngineLog.InstanceResumed(logger, instanceId, request.BookmarkId);
                        await runner.RunAsync(wec, request);
                    }
                    await committer.CommitAsync(wec, definition, loadedBookmarks, record, cancellationToken, resolveIncidents: request?.RetryFaulted == true, resumedBookmarkId: request?.BookmarkId);
                }
                catch (WorkflowConcurrencyException) when (attempt < MaxCommitAttempts)
                {
                    EngineLog.ConcurrencyConflict(logger, instanceId);
                    continue;
                }
                catch (PreparedWriteException ex) when (prepareWrites)
                {
                    // Nothing was written: the burst runs again with its steps writing as they go, so the step whose
                    // write the database refuses faults with an incident rather than the resume failing each time.
                    EngineLog.PreparedWriteRefused(logger, ex.InnerException!, instanceId);
                    prepareWrites = false;
                    continue;
                }
                finally
                {
                    await wec.EndTransactionAsync();
                }
                metrics.StatusChanged(definition.DefinitionId, Enum.Parse<WorkflowSubStatus>(record.SubStatus), wec.SubStatus);
                if (request?.BookmarkId != null)
                    metrics.Resumed(definition.DefinitionId, clock.GetElapsedTime(started));
            }
            await AfterCommitAsync(wec, scope.ServiceProvider, cancellationToken);
            return new ResumeResult(ResumeOutcome.Resumed, ToResult(wec));
        }
    }

    public async Task<IReadOnlyList<WorkflowRunResult>> TriggerAsync(string name, object? payload, TriggerOptions options, CancellationToken cancellationToken)
    {
        var hash = StimulusHash.Compute(name, payload);
        var results = new List<WorkflowRunResult>();
        var (bookmarks, triggers) = await store.FindStimulusTargetsAsync(hash, options.CorrelationId, options.InstanceId,
            withTriggers: options.StartNew && options.InstanceId is null, cancellationToken);
        foreach (var bookmark in bookmarks)
        {
            var resumed = await ResumeAsync(bookmark.InstanceId, bookmark.BookmarkId, options.Input, cancellationToken);
            if (resumed.Run != null)
                results.Add(resumed.Run);
        }
        foreach (var trigger in triggers)
        {
            results.Add(await StartAsync(new StartWorkflowRequest
            {
                DefinitionVersionId = trigger.DefinitionVersionId,
                TriggerActivityId = trigger.ActivityId,
                CorrelationId = options.CorrelationId,
                Input = options.Input,
            }, cancellationToken));
        }
        return results;
    }

    public Task<IReadOnlyList<WorkflowRunResult>> PublishEventAsync(string eventName, object? payload, string? correlationId, string? instanceId, CancellationToken cancellationToken) =>
        TriggerAsync(Event.BookmarkName, new EventStimulus(eventName), new TriggerOptions
        {
            CorrelationId = correlationId,
            InstanceId = instanceId,
            Input = new Dictionary<string, object?> { [Event.PayloadInputKey] = payload },
        }, cancellationToken);

    private WorkflowDefinition FindDefinition(StartWorkflowRequest request)
    {
        if (request.DefinitionVersionId is { } versionId)
            return definitions.FindVersion(versionId) ?? throw new WorkflowNotFoundException($"version '{versionId}'");
        var id = request.DefinitionId ?? throw new ArgumentException("A definition id or version id is required.", nameof(request));
        return definitions.Published(id)
            ?? (request.AllowDraft ? definitions.Latest(id) : null)
            ?? throw new WorkflowNotFoundException($"with definition id '{id}'");
    }

    /// <summary>A version published by another host after this one loaded its definitions is read from the store.</summary>
    private async Task<WorkflowDefinition?> FindVersionAsync(string versionId, CancellationToken cancellationToken)
    {
        if (definitions.FindVersion(versionId) is { } found)
            return found;
        await definitionService.LoadAsync(cancellationToken);
        return definitions.FindVersion(versionId);
    }

    internal WorkflowGraph GraphOf(WorkflowDefinition definition) => Graphs.GetValue(definition, d => new WorkflowGraph(d, reader));

    private async Task AfterCommitAsync(WorkflowExecutionContext wec, IServiceProvider services, CancellationToken cancellationToken)
    {
        // A child that committed in its parent's transaction is not durable before the parent commits: its follow-ups wait for that.
        if (wec.InlineParent is { } parent && !wec.OwnsTransaction && parent.Transaction != null)
        {
            parent.AfterCommit.AddRange(wec.AfterCommit);
            wec.AfterCommit.Clear();
            return;
        }
        var actions = wec.AfterCommit.ToList();
        wec.AfterCommit.Clear();
        foreach (var action in actions)
        {
            try
            {
                await action(services, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                EngineLog.AfterCommitFailed(logger, wec.InstanceId, ex);
            }
        }
    }

    private static WorkflowRunResult ToResult(WorkflowExecutionContext wec) => new()
    {
        InstanceId = wec.InstanceId,
        DefinitionId = wec.Definition.DefinitionId,
        DefinitionVersionId = wec.Definition.Id,
        Status = wec.Status,
        SubStatus = wec.SubStatus,
        CorrelationId = wec.CorrelationId,
        Output = new Dictionary<string, object?>(wec.Output),
        Variables = RootVariables(wec),
        Bookmarks = [.. wec.Bookmarks],
        Incidents = [.. wec.Incidents],
    };

    private static Dictionary<string, object?> RootVariables(WorkflowExecutionContext wec)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (wec.RootContext is not { } root)
            return result;
        foreach (var ctx in root.Children.Prepend(root))
        {
            foreach (var (k, v) in ctx.Variables ?? [])
                result.TryAdd(k, v);
        }
        return result;
    }
}
