namespace Followup.Workflows.Scheduling;

/// <summary>Resumes timer bookmarks when they fall due. The host implements it with Hangfire; tests with a fake clock.</summary>
public interface ITimerScheduler
{
    /// <summary>Schedules a resume of <paramref name="bookmarkId"/> at <paramref name="dueAt"/>; returns the job id to cancel it by.</summary>
    Task<string> ScheduleAsync(string instanceId, string bookmarkId, DateTimeOffset dueAt, CancellationToken cancellationToken);

    Task CancelAsync(string jobId, CancellationToken cancellationToken);
}
