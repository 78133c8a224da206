using Followup.Workflows.Runtime;
using Hangfire;

namespace Followup.Host.Scheduling;

internal static partial class SchedulingLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Timer {BookmarkId} of workflow {InstanceId} was already handled; nothing to do")]
    public static partial void TimerAlreadyHandled(ILogger logger, string instanceId, string bookmarkId);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Trigger {TriggerId} is no longer published; its start is skipped")]
    public static partial void TriggerGone(ILogger logger, string triggerId);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Timer drain: {Resumed} due timers resumed")]
    public static partial void Drained(ILogger logger, int resumed);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Timer drain could not resume workflow {InstanceId}; the timer's own job will retry it")]
    public static partial void DrainResumeFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Error, Message = "Timer drain stopped")]
    public static partial void DrainFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Timer sweep: {Fired} due timers fired, {Rescheduled} rescheduled")]
    public static partial void Swept(ILogger logger, int fired, int rescheduled);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Error, Message = "Re-creating the jobs of waiting timers stopped; the timer sweep still resumes them when they fall due")]
    public static partial void RecoveryFailed(ILogger logger, Exception exception);
}
