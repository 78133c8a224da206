using Followup.Workflows.Persistence;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Followup.Host.Scheduling;

/// <summary>
/// Hangfire's schedule of timers and the safety net under it, run every minute and at start: timers the engine's clock
/// says are overdue are resumed now; timers that have come within the horizon get their job (those set further ahead
/// got none, and those whose job a crash between the commit and the scheduling kept from being recorded); timed
/// triggers without a job are armed. At start it also re-creates the jobs a job store lost (an in-memory store after
/// a restart).
/// </summary>
public sealed class TimerSweep(
    IWorkflowRunStore store,
    DefinitionStore definitions,
    HangfireTimerScheduler timers,
    HangfireTriggerScheduler triggers,
    TimerDrain drain,
    JobStorage jobStorage,
    TimeProvider clock,
    IOptions<SchedulingOptions> options,
    ILogger<TimerSweep> logger)
{
    private const int PageSize = 500;
    private const int FireThreads = 4;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var grace = options.Value.SweepGrace;
        var fired = 0;
        var overdue = false;
        var dueJobs = new List<string>();
        await foreach (var timer in TimersAsync(now - grace, cancellationToken))
        {
            overdue = true;
            if (timer.SchedulerJobId != null)
                dueJobs.Add(timer.SchedulerJobId);
        }
        // The drain resumes them first; then their jobs go to the queue, where they find the work done or retry what
        // failed. One without a job that the drain could not resume gets a job below, with its retries.
        if (overdue)
            await drain.Wake();
        // State changes lock per job, so they run side by side; Hangfire's calls block, so on threads of their own
        // rather than the thread pool's, which the workflows' own work needs meanwhile.
        var queue = new System.Collections.Concurrent.ConcurrentQueue<string>(dueJobs);
        await Task.WhenAll(Enumerable.Range(0, Math.Min(FireThreads, dueJobs.Count)).Select(_ => Task.Factory.StartNew(() =>
        {
            while (!cancellationToken.IsCancellationRequested && queue.TryDequeue(out var jobId))
            {
                if (timers.FireNow(jobId))
                    Interlocked.Increment(ref fired);
            }
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)));
        var rescheduled = 0;
        foreach (var timer in await store.ListUnscheduledTimersAsync(now + options.Value.TimerHorizon, now - grace, cancellationToken))
        {
            await ScheduleAsync(timer, cancellationToken);
            rescheduled++;
        }
        foreach (var trigger in await definitions.ListScheduledTriggersAsync(cancellationToken))
        {
            if (trigger.SchedulerJobId is null && triggers.NextStart(trigger, after: null) is { } due)
                await triggers.ArmAsync(trigger, due, cancellationToken);
            else if (trigger.SchedulerJobId != null && trigger.StartAt <= now - grace && timers.FireNow(trigger.SchedulerJobId))
                fired++;
        }
        if (fired + rescheduled > 0)
            SchedulingLog.Swept(logger, fired, rescheduled);
    }

    /// <summary>The start's check of the waiting timers' jobs (<see cref="StartRecovery"/>), done or not.</summary>
    public Task Recovered { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// At start, beside the host's work rather than before it: the check asks the job store about every waiting timer,
    /// which takes seconds for a store with a hundred thousand of them. Meanwhile nothing due is missed: the sweep
    /// (at start and every minute) resumes every timer that falls due, whether its job exists or not.
    /// </summary>
    public void StartRecovery(CancellationToken cancellationToken) =>
        Recovered = Task.Run(async () =>
        {
            try
            {
                await RecoverAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                SchedulingLog.RecoveryFailed(logger, ex);
            }
        }, CancellationToken.None);

    /// <summary>
    /// Every pending timer within the horizon, and every timed trigger, whose job the job store does not know gets a new
    /// one; so does a timer further ahead whose recorded job is gone (one set before the horizon, or a lost store).
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        using var connection = jobStorage.GetConnection();
        var rescheduled = 0;
        var near = clock.GetUtcNow().UtcDateTime + options.Value.TimerHorizon;
        await foreach (var timer in TimersAsync(null, cancellationToken))
        {
            if (timer.SchedulerJobId is null ? timer.DueAt <= near : connection.GetJobData(timer.SchedulerJobId) is null)
            {
                await ScheduleAsync(timer, cancellationToken);
                rescheduled++;
            }
        }
        foreach (var trigger in await definitions.ListScheduledTriggersAsync(cancellationToken))
        {
            if ((trigger.SchedulerJobId is null || connection.GetJobData(trigger.SchedulerJobId) is null) && triggers.NextStart(trigger, after: null) is { } due)
                await triggers.ArmAsync(trigger, due, cancellationToken);
        }
        if (rescheduled > 0)
            SchedulingLog.Swept(logger, 0, rescheduled);
    }

    private async Task ScheduleAsync(BookmarkRecord timer, CancellationToken cancellationToken)
    {
        var jobId = await timers.ScheduleAsync(timer.InstanceId, timer.Id, timer.DueAt!.Value.AsUtc(), cancellationToken);
        await store.SetSchedulerJobIdAsync(timer.InstanceId, timer.Id, jobId, cancellationToken);
    }

    private async IAsyncEnumerable<BookmarkRecord> TimersAsync(DateTime? dueBefore, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var afterDue = DateTime.MinValue;
        var afterId = "";
        while (true)
        {
            var page = await store.ListTimersAsync(dueBefore, afterDue, afterId, PageSize, cancellationToken);
            foreach (var timer in page)
                yield return timer;
            if (page.Count < PageSize)
                yield break;
            (afterDue, afterId) = (page[^1].DueAt!.Value, page[^1].Id);
        }
    }
}
