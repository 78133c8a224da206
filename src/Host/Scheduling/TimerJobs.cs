using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Hangfire;

namespace Followup.Host.Scheduling;

/// <summary>
/// The Hangfire jobs of the engine. Each is idempotent: a consumed bookmark is a no-op, and a timed start uses an
/// instance id derived from the trigger and due time, so a retried job never runs a step or starts a workflow twice.
/// </summary>
public sealed class TimerJobs(
    IWorkflowRuntime runtime,
    IWorkflowRunStore store,
    DefinitionStore definitions,
    HangfireTriggerScheduler triggers,
    TimerSweep sweep,
    TimerDrain drain,
    Microsoft.EntityFrameworkCore.IDbContextFactory<Followup.Activities.Data.DealershipDbContext> dealership,
    TimeProvider clock,
    ILogger<TimerJobs> logger)
{
    [AutomaticRetry(Attempts = 10, DelaysInSeconds = [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [Queue(HangfireTimerScheduler.Queue)]
    public async Task ResumeAsync(string instanceId, string bookmarkId, CancellationToken cancellationToken)
    {
        var bookmark = await store.FindBookmarkAsync(instanceId, bookmarkId, cancellationToken);
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["InstanceId"] = instanceId, ["CorrelationId"] = bookmark?.CorrelationId });
        if (bookmark is null)
        {
            SchedulingLog.TimerAlreadyHandled(logger, instanceId, bookmarkId);
            return;
        }
        await drain.ResumeAsync(bookmark, cancellationToken, waitForClaim: true);
        if (await drain.OthersDueAsync(bookmarkId, cancellationToken))
            _ = drain.Wake();
    }

    [AutomaticRetry(Attempts = 10, DelaysInSeconds = [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [Queue(HangfireTimerScheduler.Queue)]
    public async Task StartTriggeredAsync(string triggerId, long dueTicks, CancellationToken cancellationToken)
    {
        var trigger = await definitions.FindTriggerAsync(triggerId, cancellationToken);
        if (trigger is null)
        {
            SchedulingLog.TriggerGone(logger, triggerId);
            return;
        }
        var instanceId = HangfireTriggerScheduler.InstanceIdFor(triggerId, dueTicks);
        if (await store.FindInstanceAsync(instanceId, cancellationToken) is null)
        {
            await runtime.StartAsync(new StartWorkflowRequest
            {
                DefinitionVersionId = trigger.DefinitionVersionId,
                TriggerActivityId = trigger.ActivityId,
                InstanceId = instanceId,
            }, cancellationToken);
        }
        var due = new DateTimeOffset(dueTicks, TimeSpan.Zero);
        if (triggers.NextStart(trigger, after: due) is { } next)
            await triggers.ArmAsync(trigger, next, cancellationToken);
        else
            await definitions.SetTriggerJobAsync(triggerId, null, null, cancellationToken);
    }

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        await sweep.RunAsync(cancellationToken);
        await using var db = await dealership.CreateDbContextAsync(cancellationToken);
        await Api.Idempotency.ForgetOldAsync(db, clock.GetUtcNow().UtcDateTime, cancellationToken);
    }
}
