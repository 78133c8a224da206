using System.Text.Json;
using Followup.Workflows.Activities.Composition;
using Followup.Workflows.Definitions;
using Followup.Workflows.Persistence;
using Followup.Workflows.Scheduling;
using Followup.Workflows.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Followup.Workflows.Runtime;

/// <summary>
/// Writes a burst: the instance's new state, the bookmarks it added and removed, its journal, incidents and the
/// modules' rows, in one transaction with a revision check. Timers due far ahead get their job before the commit (so
/// the job id is written with the bookmark), unless the burst holds a transaction of its own; the rest, and whatever
/// else follows the commit (cancelled timers' jobs, a finished child's parent), are queued on the instance to run after it.
/// A timer beyond the scheduler's horizon gets no job here: the scheduler's sweep gives it one as it comes near, and
/// one cancelled before then (a task done before it was overdue) never costs the job store a write.
/// </summary>
public sealed class BurstCommitter(
    WorkflowRunner runner,
    IWorkflowRunStore store,
    ITimerScheduler timers,
    TimeProvider clock,
    CrashPoints crashes,
    ILogger<BurstCommitter> logger)
{
    /// <summary>
    /// A timer due later than this gets its job before its burst commits, so the job id goes into the database with the
    /// bookmark instead of in a write of its own. Should the burst then not commit, the job finds no bookmark when it
    /// runs and ends. A timer due sooner, or set by a burst that holds its own transaction, is scheduled after the commit:
    /// its job cannot run before the bookmark exists, and no other writer waits for the job store.
    /// </summary>
    private static readonly TimeSpan ScheduleBeforeCommitBeyond = TimeSpan.FromMinutes(5);

    public async Task CommitAsync(WorkflowExecutionContext wec, WorkflowDefinition definition, IReadOnlyList<Bookmark>? loaded, WorkflowInstanceRecord? row, CancellationToken cancellationToken, bool resolveIncidents = false, string? resumedBookmarkId = null)
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

        // The new timers that get their job now, before or after the commit; those beyond the horizon get it from the sweep.
        var timed = added.Where(b => b.DueAt is { } due && (timers.Horizon is not { } horizon || due - clock.GetUtcNow() <= horizon)).ToList();
        var jobIds = await ScheduleTimersAheadAsync(wec, timed, cancellationToken);
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
            Prepared = wec.Records.Prepared,
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
        foreach (var bookmark in timed.Where(b => !jobIds.ContainsKey(b.Id)))
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
                new TriggerOptions { InstanceId = parentId, StartNew = false, Input = new Dictionary<string, object?>
                {
                    [ChildWorkflows.InstanceIdKey] = wec.InstanceId,
                    [ChildWorkflows.OutputKey] = output,
                    [ChildWorkflows.StatusKey] = wec.Status.ToString(),
                    [ChildWorkflows.SubStatusKey] = wec.SubStatus.ToString(),
                },
            }, ct));
        }
    }

    /// <summary>
    /// Jobs for the new timers due beyond <see cref="ScheduleBeforeCommitBeyond"/>, by bookmark id; one that fails is
    /// scheduled after the commit instead. A burst that holds its transaction (SQLite: the writers' turn) schedules none
    /// ahead: every other writer would wait while the job store writes.
    /// </summary>
    private async Task<Dictionary<string, string>> ScheduleTimersAheadAsync(WorkflowExecutionContext wec, List<Bookmark> timed, CancellationToken cancellationToken)
    {
        var jobIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var instanceId = wec.InstanceId;
        foreach (var bookmark in timed)
        {
            if (wec.Transaction is not null || bookmark.DueAt is not { } due || due - clock.GetUtcNow() <= ScheduleBeforeCommitBeyond)
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
}
