namespace Followup.Workflows.Scheduling;

/// <summary>Timers for a single process without a job store: due resumes run on the injected clock. Not durable across restarts; the host uses Hangfire.</summary>
public sealed class InProcessTimerScheduler(TimeProvider clock, IServiceProvider services) : ITimerScheduler, IDisposable
{
    private readonly Dictionary<string, ITimer> _timers = new(StringComparer.Ordinal);

    public Task<string> ScheduleAsync(string instanceId, string bookmarkId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var jobId = $"timer:{bookmarkId}";
        var delay = dueAt - clock.GetUtcNow();
        var timer = clock.CreateTimer(_ => _ = FireAsync(jobId, instanceId, bookmarkId), null, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        lock (_timers)
            _timers[jobId] = timer;
        return Task.FromResult(jobId);
    }

    public Task CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        lock (_timers)
        {
            if (_timers.Remove(jobId, out var timer))
                timer.Dispose();
        }
        return Task.CompletedTask;
    }

    private async Task FireAsync(string jobId, string instanceId, string bookmarkId)
    {
        lock (_timers)
            _timers.Remove(jobId);
        var runtime = (Runtime.IWorkflowRuntime)services.GetService(typeof(Runtime.IWorkflowRuntime))!;
        await runtime.ResumeAsync(instanceId, bookmarkId, null, CancellationToken.None);
    }

    public void Dispose()
    {
        lock (_timers)
        {
            foreach (var t in _timers.Values)
                t.Dispose();
            _timers.Clear();
        }
    }
}
