using Followup.Workflows.Persistence;

namespace Followup.Workflows.Scheduling;

/// <summary>Resumes timer bookmarks when they fall due. The host implements it with Hangfire; tests with a fake clock.</summary>
public interface ITimerScheduler
{
    /// <summary>Schedules a resume of <paramref name="bookmarkId"/> at <paramref name="dueAt"/>; returns the job id to cancel it by.</summary>
    Task<string> ScheduleAsync(string instanceId, string bookmarkId, DateTimeOffset dueAt, CancellationToken cancellationToken);

    Task CancelAsync(string jobId, CancellationToken cancellationToken);
}

/// <summary>Keeps timed starts (StartAt, Timer and Cron triggers of published workflows) in step with publishing.</summary>
public interface ITriggerScheduler
{
    /// <summary>Called after a definition's triggers were replaced: unschedules <paramref name="removed"/>, schedules the timed ones of <paramref name="added"/>.</summary>
    Task SyncAsync(IReadOnlyList<TriggerRecord> removed, IReadOnlyList<TriggerRecord> added, CancellationToken cancellationToken);
}

/// <summary>Serializes the bursts of one instance: <c>workflow-instance:{id}</c>.</summary>
public interface IWorkflowLock
{
    Task<IAsyncDisposable> AcquireAsync(string instanceId, CancellationToken cancellationToken);
}

/// <summary>A lock per instance within this process (one host on a SQLite file).</summary>
public sealed class InProcessWorkflowLock : IWorkflowLock
{
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> _locks = new(StringComparer.Ordinal);

    public async Task<IAsyncDisposable> AcquireAsync(string instanceId, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate;
        lock (_locks)
        {
            var entry = _locks.TryGetValue(instanceId, out var found) ? found : (Gate: new SemaphoreSlim(1, 1), Users: 0);
            _locks[instanceId] = (entry.Gate, entry.Users + 1);
            gate = entry.Gate;
        }
        try
        {
            await gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Release(instanceId, gate, entered: false);
            throw;
        }
        return new Releaser(() => Release(instanceId, gate, entered: true));
    }

    private void Release(string instanceId, SemaphoreSlim gate, bool entered)
    {
        if (entered)
            gate.Release();
        lock (_locks)
        {
            var entry = _locks[instanceId];
            if (entry.Users <= 1)
                _locks.Remove(instanceId);
            else
                _locks[instanceId] = (entry.Gate, entry.Users - 1);
        }
    }

    private sealed class Releaser(Action release) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            release();
            return ValueTask.CompletedTask;
        }
    }
}

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
