using System.Security.Cryptography;
using System.Text;
using Followup.Workflows.Persistence;
using Followup.Workflows.Scheduling;
using Hangfire;
using CronActivity = Followup.Workflows.Activities.Scheduling.Cron;

namespace Followup.Host.Scheduling;

/// <summary>
/// Timed starts of published workflows (StartAt, Timer and Cron triggers): one delayed job per trigger for its next
/// start, re-armed after each start. Republishing or retracting deletes the old jobs directly.
/// </summary>
public sealed class HangfireTriggerScheduler(IBackgroundJobClient jobs, DefinitionStore store, TimeProvider clock) : ITriggerScheduler
{
    public async Task SyncAsync(IReadOnlyList<TriggerRecord> removed, IReadOnlyList<TriggerRecord> added, CancellationToken cancellationToken)
    {
        foreach (var trigger in removed.Where(t => t.SchedulerJobId != null))
            jobs.Delete(trigger.SchedulerJobId!);
        foreach (var trigger in added)
        {
            if (NextStart(trigger, after: null) is { } due)
                await ArmAsync(trigger, due, cancellationToken);
        }
    }

    /// <summary>Schedules the job for the start at <paramref name="due"/> and records it on the trigger.</summary>
    public async Task ArmAsync(TriggerRecord trigger, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var delay = due - clock.GetUtcNow();
        var triggerId = trigger.Id;
        var dueTicks = due.UtcTicks;
        var jobId = jobs.Schedule<TimerJobs>(HangfireTimerScheduler.Queue, j => j.StartTriggeredAsync(triggerId, dueTicks, CancellationToken.None),
            delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        trigger.SchedulerJobId = jobId;
        trigger.StartAt = due.UtcDateTime;
        await store.SetTriggerJobAsync(trigger.Id, jobId, due.UtcDateTime, cancellationToken);
    }

    /// <summary>The trigger's next start: its fixed time, then every interval, or the cron's next occurrence.</summary>
    public DateTimeOffset? NextStart(TriggerRecord trigger, DateTimeOffset? after)
    {
        var now = clock.GetUtcNow();
        if (trigger.CronExpression is { } cron)
            return CronActivity.Parse(cron).GetNextOccurrence(after is { } a && a > now ? a : now, TimeZoneInfo.Utc);
        if (trigger.Interval is { } interval && interval > TimeSpan.Zero)
        {
            if (after is null)
                return trigger.StartAt is { } first ? first.AsUtc() : now + interval;
            var next = after.Value + interval;
            return next > now ? next : now + interval;
        }
        if (after is null && trigger.StartAt is { } at)
            return at.AsUtc();
        return null;
    }

    /// <summary>The instance id of the start at <paramref name="dueTicks"/>: the same for a retried job, so a start happens once.</summary>
    public static string InstanceIdFor(string triggerId, long dueTicks)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{triggerId}@{dueTicks}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
