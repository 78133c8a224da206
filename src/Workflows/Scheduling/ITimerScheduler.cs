namespace Followup.Workflows.Scheduling;

/// <summary>Resumes timer bookmarks when they fall due. The host implements it with Hangfire; tests with a fake clock.</summary>
public interface ITimerScheduler
{
    /// <summary>Schedules a resume of <paramref name="bookmarkId"/> at <paramref name="dueAt"/>; returns the job id to cancel it by.</summary>
    Task<string> ScheduleAsync(string instanceId, string bookmarkId, DateTimeOffset dueAt, CancellationToken cancellationToken);

    Task CancelAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// How far ahead a timer gets its job; a timer due later gets none when it is set, and the scheduler's own sweep
    /// gives it one as it comes within this reach. Null: every timer gets its job when it is set.
    /// </summary>
    TimeSpan? Horizon => null;
}
