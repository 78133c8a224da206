using Followup.Workflows.Scheduling;

namespace Followup.Testing;

public sealed record ScheduledTimer(string JobId, string InstanceId, string BookmarkId, DateTimeOffset DueAt);

/// <summary>Records scheduled timers; the harness fires them when the fake clock passes their due time.</summary>
public sealed class FakeTimerScheduler : ITimerScheduler
{
    private readonly List<ScheduledTimer> _pending = [];
    private int _next;

    public IReadOnlyList<ScheduledTimer> Pending
    {
        get
        {
            lock (_pending)
                return [.. _pending];
        }
    }

    public List<string> Cancelled { get; } = [];

    /// <summary>The reach of the scheduler's jobs (none by default: every timer gets its job when it is set).</summary>
    public TimeSpan? Horizon { get; set; }

    public Task<string> ScheduleAsync(string instanceId, string bookmarkId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        lock (_pending)
        {
            var timer = new ScheduledTimer($"job-{++_next}", instanceId, bookmarkId, dueAt);
            _pending.Add(timer);
            return Task.FromResult(timer.JobId);
        }
    }

    public Task CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        lock (_pending)
        {
            _pending.RemoveAll(t => t.JobId == jobId);
            Cancelled.Add(jobId);
        }
        return Task.CompletedTask;
    }

    public List<ScheduledTimer> TakeDue(DateTimeOffset now)
    {
        lock (_pending)
        {
            var due = _pending.Where(t => t.DueAt <= now).OrderBy(t => t.DueAt).ToList();
            _pending.RemoveAll(due.Contains);
            return due;
        }
    }

    public void Restore(IEnumerable<ScheduledTimer> timers)
    {
        lock (_pending)
            _pending.AddRange(timers);
    }
}
