using System.Runtime.CompilerServices;
using System.Text.Json;
using Followup.Workflows.Activities.Composition;
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
    ITimerScheduler timers,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    WorkflowMetrics metrics,
    WorkflowDefinitionService definitionService,
    CrashPoints crashes,
    ILogger<WorkflowRuntime> logger) : IWorkflowRuntime
{
    private const int MaxCommitAttempts = 3;

    /// <summary>
    /// A timer due later than this gets its job before its burst commits, so the job id goes into the database with the
    /// bookmark instead of in a write of its own. Should the burst then not commit, the job finds no bookmark when it
    /// runs and ends. A timer due sooner is scheduled after the commit, so its job cannot run before the bookmark exists.
    /// </summary>
    private static readonly TimeSpan ScheduleBeforeCommitBeyond = TimeSpan.FromMinutes(5);

    private static readonly ConditionalWeakTable<WorkflowDefinition, WorkflowGraph> Graphs = new();

    public async Task<WorkflowRunResult> StartAsync(StartWorkflowRequest request, CancellationToken cancellationToken)
    {
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
            wec.Transaction = parent.Transaction;
        }
        await using (await locks.AcquireAsync(wec.InstanceId, cancellationToken))
        {
            try
            {
                EngineLog.InstanceStarted(logger, wec.InstanceId, definition.DefinitionId);
                await runner.RunAsync(wec, new RunRequest());
                await CommitAsync(wec, definition, null, null, cancellationToken);
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

    private async Task<ResumeResult> RunExistingAsync(string instanceId, RunRequest? request, CancellationToken cancellationToken)
    {
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
                    await CommitAsync(wec, definition, loadedBookmarks, record, cancellationToken, resolveIncidents: request?.RetryFaulted == true, resumedBookmarkId: request?.BookmarkId);
                }
                catch (WorkflowConcurrencyException) when (attempt < MaxCommitAttempts)
                {
                    EngineLog.ConcurrencyConflict(logger, instanceId);
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

    private async Task CommitAsync(WorkflowExecutionContext wec, WorkflowDefinition definition, IReadOnlyList<Bookmark>? loaded, WorkflowInstanceRecord? row, CancellationToken cancellationToken, bool resolveIncidents = false, string? resumedBookmarkId = null)
    {
        var state = runner.ExtractState(wec, definition.Version);
        var loadedIds = loaded?.Select(b => b.Id).ToHashSet() ?? [];
        var currentIds = wec.Bookmarks.Select(b => b.Id).ToHashSet();
        var added = wec.Bookmarks.Where(b => !loadedIds.Contains(b.Id)).ToList();
        var removed = loaded?.Where(b => !currentIds.Contains(b.Id)).ToList() ?? [];
        var now = clock.GetUtcNow().UtcDateTime;

        // Timers that went away without firing (another branch won, the instance was cancelled) have jobs to delete;
        // the timer being resumed is the job running now.
        var cancelledTimers = removed.Where(b => b.DueAt != null && b.Id != resumedBookmarkId).Select(b => b.Id).ToHashSet();
        var removedTimers = cancelledTimers.Count > 0
            ? (await store.ListBookmarksAsync(wec.InstanceId, cancellationToken)).Where(r => r.SchedulerJobId != null && cancelledTimers.Contains(r.Id)).ToList()
            : [];

        var jobIds = await ScheduleTimersAheadAsync(wec.InstanceId, added, cancellationToken);
        var batch = new CommitBatch
        {
            IsNew = row is null,
            ExpectedRevision = row?.Revision ?? 0,
            Loaded = row,
            Instance = new WorkflowInstanceRecord
            {
                Id = wec.InstanceId,
                DefinitionId = definition.DefinitionId,
                DefinitionVersionId = definition.Id,
                DefinitionVersion = definition.Version,
                ParentInstanceId = wec.ParentInstanceId,
                CorrelationId = wec.CorrelationId,
                Name = wec.Name,
                Status = wec.Status.ToString(),
                SubStatus = wec.SubStatus.ToString(),
                IncidentCount = wec.Incidents.Count,
                State = new Utf8Json(JsonSerializer.SerializeToUtf8Bytes(state, JsonValues.Options)),
                Revision = (row?.Revision ?? 0) + 1,
                CreatedAt = wec.CreatedAt.UtcDateTime,
                UpdatedAt = now,
                FinishedAt = wec.FinishedAt?.UtcDateTime,
            },
            AddedBookmarks = added.Select(b => new BookmarkRecord
            {
                Id = b.Id,
                InstanceId = wec.InstanceId,
                DefinitionId = definition.DefinitionId,
                Name = b.Name,
                Hash = b.Hash,
                CorrelationId = wec.CorrelationId,
                ActivityNodeId = b.ActivityNodeId,
                ActivityInstanceId = b.ActivityInstanceId,
                Payload = b.Payload?.ToJsonString(),
                DueAt = b.DueAt?.UtcDateTime,
                SchedulerJobId = jobIds.GetValueOrDefault(b.Id),
                CreatedAt = b.CreatedAt.UtcDateTime,
            }).ToList(),
            RemovedBookmarkIds = removed.Select(b => b.Id).ToList(),
            Journal = wec.Journal.Select(j => new JournalRecord
            {
                InstanceId = wec.InstanceId,
                Sequence = j.Sequence,
                Timestamp = j.Timestamp.UtcDateTime,
                ActivityInstanceId = j.ActivityInstanceId,
                ActivityId = j.ActivityId,
                ActivityNodeId = j.ActivityNodeId,
                ActivityType = j.ActivityType,
                ActivityName = j.ActivityName,
                EventName = j.EventName,
                Message = j.Message,
            }).ToList(),
            Incidents = wec.Incidents.Where(i => wec.LoadedIncidentIds?.Contains(i.Id) != true)
                .Select(i => new IncidentRecord
                {
                    Id = i.Id,
                    InstanceId = wec.InstanceId,
                    ActivityId = i.ActivityId,
                    ActivityNodeId = i.ActivityNodeId,
                    ActivityType = i.ActivityType,
                    Message = i.Message,
                    ExceptionType = i.ExceptionType,
                    StackTrace = i.StackTrace,
                    Timestamp = i.Timestamp.UtcDateTime,
                }).ToList(),
            Records = [.. wec.Records.Writes],
            Transaction = wec.Transaction,
            CommitTransaction = wec.OwnsTransaction,
            ResolveIncidents = resolveIncidents,
        };
        try
        {
            crashes.Reached(CrashPoint.BurstCommitting);
            await store.CommitAsync(batch, cancellationToken);
            crashes.Reached(CrashPoint.BurstCommitted);
        }
        catch
        {
            foreach (var (bookmarkId, jobId) in jobIds)
                await CancelQuietlyAsync(wec.InstanceId, bookmarkId, jobId);
            throw;
        }
        wec.Journal.Clear();
        wec.Records.Clear();
        EngineLog.InstanceCommitted(logger, wec.InstanceId, wec.Status.ToString(), wec.SubStatus.ToString());

        foreach (var timer in removedTimers)
            wec.AfterCommit.Insert(0, (_, ct) => timers.CancelAsync(timer.SchedulerJobId!, ct));
        foreach (var bookmark in added.Where(b => b.DueAt != null && !jobIds.ContainsKey(b.Id)))
        {
            wec.AfterCommit.Insert(0, async (_, ct) =>
            {
                var jobId = await timers.ScheduleAsync(wec.InstanceId, bookmark.Id, bookmark.DueAt!.Value, ct);
                await store.SetSchedulerJobIdAsync(wec.InstanceId, bookmark.Id, jobId, ct);
            });
        }
        if (wec.Status == WorkflowStatus.Finished && wec.ParentInstanceId is { } parentId)
        {
            var output = new Dictionary<string, object?>(wec.Output);
            wec.AfterCommit.Add((services, ct) => services.GetRequiredService<IWorkflowRuntime>().TriggerAsync(
                ExecuteWorkflow.BookmarkName, new ChildWorkflowStimulus(wec.InstanceId),
                new TriggerOptions { InstanceId = parentId, StartNew = false, Input = new Dictionary<string, object?> { ["ChildWorkflowOutput"] = output } }, ct));
        }
    }

    /// <summary>Jobs for the new timers due beyond <see cref="ScheduleBeforeCommitBeyond"/>, by bookmark id; one that fails is scheduled after the commit instead.</summary>
    private async Task<Dictionary<string, string>> ScheduleTimersAheadAsync(string instanceId, List<Bookmark> added, CancellationToken cancellationToken)
    {
        var jobIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var bookmark in added)
        {
            if (bookmark.DueAt is not { } due || due - clock.GetUtcNow() <= ScheduleBeforeCommitBeyond)
                continue;
            try
            {
                jobIds[bookmark.Id] = await timers.ScheduleAsync(instanceId, bookmark.Id, due, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                EngineLog.TimerScheduledAfterCommit(logger, instanceId, bookmark.Id, ex);
            }
        }
        return jobIds;
    }

    /// <summary>Deletes the job of a timer whose burst did not commit; a job left behind finds no bookmark and ends.</summary>
    private async Task CancelQuietlyAsync(string instanceId, string bookmarkId, string jobId)
    {
        try
        {
            await timers.CancelAsync(jobId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            EngineLog.UncommittedTimerJobLeft(logger, instanceId, bookmarkId, ex);
        }
    }

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
