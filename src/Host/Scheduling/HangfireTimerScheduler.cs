using Followup.Workflows.Scheduling;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Options;

namespace Followup.Host.Scheduling;

/// <summary>
/// Timer bookmarks due within <see cref="Horizon"/> as Hangfire delayed jobs that carry only ids. The delay is measured
/// on the engine's clock, so a fake clock in tests and the system clock in production both work; <see cref="TimerSweep"/>
/// fires what the engine's clock says is due.
/// </summary>
public sealed class HangfireTimerScheduler(IBackgroundJobClient jobs, TimeProvider clock, IOptions<SchedulingOptions> options) : ITimerScheduler
{
    public const string Queue = "timers";

    /// <summary>Timers due later get their job from <see cref="TimerSweep"/> as they come within this reach.</summary>
    public TimeSpan? Horizon => options.Value.TimerHorizon;

    public Task<string> ScheduleAsync(string instanceId, string bookmarkId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var delay = dueAt - clock.GetUtcNow();
        var jobId = jobs.Schedule<TimerJobs>(Queue, j => j.ResumeAsync(instanceId, bookmarkId, CancellationToken.None), delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        return Task.FromResult(jobId);
    }

    public Task CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        jobs.Delete(jobId);
        return Task.CompletedTask;
    }

    /// <summary>Moves a still-scheduled job (a timer or a timed start) to its queue now; false when it already ran, runs or was deleted.</summary>
    public bool FireNow(string jobId) => jobs.ChangeState(jobId, new EnqueuedState(Queue), ScheduledState.StateName);
}
