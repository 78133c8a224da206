using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;

namespace Followup.Host.Scheduling;

/// <summary>
/// Resumes every due timer of the engine directly, many at a time. A timer's own Hangfire job costs several write
/// transactions in the job store (enqueue, fetch, processing, succeeded), more than the engine's resume, whose bursts
/// share group commits; when many timers fall due together (the morning's callbacks, a host back after downtime)
/// the first of their jobs to run wakes the drain, and the drain resumes the rest. Their jobs still run and find the
/// timer handled. Each due timer is claimed once: whoever resumes it (a job or a drain, on any host) first takes its
/// claim (<c>timer:{id}</c>, not waited for) and then checks it is still there, so nobody else tries it meanwhile and
/// exactly once holds on one host or several.
/// </summary>
public sealed class TimerDrain(
    IWorkflowRunStore store,
    IWorkflowRuntime runtime,
    Followup.Workflows.Scheduling.IWorkflowLock locks,
    WorkflowMetrics metrics,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<TimerDrain> logger)
{
    private const int PageSize = 1000;
    private const int Callers = 32;
    private readonly Lock _gate = new();
    private Task _pass = Task.CompletedTask;

    /// <summary>Starts a pass over the due timers unless one is running; the task ends with that pass.</summary>
    public Task Wake()
    {
        lock (_gate)
        {
            if (_pass.IsCompleted)
                _pass = Task.Run(RunAsync);
            return _pass;
        }
    }

    /// <summary>True when a timer other than <paramref name="bookmarkId"/> is due: a backlog worth draining.</summary>
    public async Task<bool> OthersDueAsync(string bookmarkId, CancellationToken cancellationToken) =>
        (await store.ListTimersAsync(clock.GetUtcNow().UtcDateTime, DateTime.MinValue, "", 2, cancellationToken)).Any(t => t.Id != bookmarkId);

    /// <summary>
    /// Resumes one due timer and records how late it fired; false when another resume has it or had it. The drain only
    /// tries for the timer's claim and moves on; the timer's own job waits for it (<paramref name="waitForClaim"/>), so
    /// that a timer whose claim was held by a host that died before resuming it is still resumed, by its job.
    /// </summary>
    public async Task<bool> ResumeAsync(BookmarkRecord timer, CancellationToken cancellationToken, bool waitForClaim = false)
    {
        var name = $"timer:{timer.Id}";
        await using var claim = waitForClaim ? await locks.AcquireNamedAsync(name, cancellationToken) : await locks.TryAcquireNamedAsync(name, cancellationToken);
        if (claim is null || await store.FindBookmarkAsync(timer.InstanceId, timer.Id, cancellationToken) is null)
            return false;
        var result = await runtime.ResumeAsync(timer.InstanceId, timer.Id, null, cancellationToken);
        if (result.Outcome != ResumeOutcome.Resumed)
            return false;
        if (timer.DueAt is { } due)
            metrics.TimerFired(timer.DefinitionId, clock.GetUtcNow() - due.AsUtc());
        return true;
    }

    private async Task RunAsync()
    {
        var cancellationToken = lifetime.ApplicationStopping;
        var resumed = 0;
        try
        {
            // One pass in due order; a timer that falls due meanwhile has its own job, which wakes the drain again.
            var now = clock.GetUtcNow().UtcDateTime;
            var (afterDue, afterId) = (DateTime.MinValue, "");
            while (!cancellationToken.IsCancellationRequested)
            {
                var page = await store.ListTimersAsync(now, afterDue, afterId, PageSize, cancellationToken);
                await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = Callers, CancellationToken = cancellationToken }, async (timer, ct) =>
                {
                    using var scope = logger.BeginScope(new Dictionary<string, object?> { ["InstanceId"] = timer.InstanceId, ["CorrelationId"] = timer.CorrelationId });
                    try
                    {
                        if (await ResumeAsync(timer, ct))
                            Interlocked.Increment(ref resumed);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // The timer keeps its job, whose retries take it from here.
                        SchedulingLog.DrainResumeFailed(logger, timer.InstanceId, ex);
                    }
                });
                if (page.Count < PageSize)
                    break;
                (afterDue, afterId) = (page[^1].DueAt!.Value, page[^1].Id);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            SchedulingLog.DrainFailed(logger, ex);
        }
        if (resumed > 0)
            SchedulingLog.Drained(logger, resumed);
    }
}
