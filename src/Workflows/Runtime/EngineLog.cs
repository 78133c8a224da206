using Microsoft.Extensions.Logging;

namespace Followup.Workflows.Runtime;

/// <summary>Engine log messages (event ids 1000–1999). Ids and types only: never inputs, variables or message bodies.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Workflow {InstanceId} of {DefinitionId} started")]
    public static partial void InstanceStarted(ILogger logger, string instanceId, string definitionId);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Workflow {InstanceId} resumed at bookmark {BookmarkId}")]
    public static partial void InstanceResumed(ILogger logger, string instanceId, string bookmarkId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Workflow {InstanceId} is {Status}/{SubStatus}")]
    public static partial void InstanceCommitted(ILogger logger, string instanceId, string status, string subStatus);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "Activity {NodeId} ({ActivityType}) of workflow {InstanceId} faulted")]
    public static partial void ActivityFaulted(ILogger logger, string instanceId, string nodeId, string activityType, Exception exception);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Bookmark {BookmarkId} of workflow {InstanceId} was already consumed; nothing to resume")]
    public static partial void BookmarkAlreadyConsumed(ILogger logger, string instanceId, string bookmarkId);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Warning, Message = "Workflow {InstanceId} was changed by another resume; retrying")]
    public static partial void ConcurrencyConflict(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Warning, Message = "The database refused a prepared write of workflow {InstanceId}; the burst runs again writing as it goes")]
    public static partial void PreparedWriteRefused(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "Skipped workflow file {File}: {Reason}")]
    public static partial void DefinitionFileSkipped(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 1040, Level = LogLevel.Error, Message = "Work after the commit of workflow {InstanceId} failed")]
    public static partial void AfterCommitFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 1041, Level = LogLevel.Warning, Message = "Timer {BookmarkId} of workflow {InstanceId} could not be scheduled before its commit; it is scheduled after it")]
    public static partial void TimerScheduledAfterCommit(ILogger logger, string instanceId, string bookmarkId, Exception exception);

    [LoggerMessage(EventId = 1042, Level = LogLevel.Warning, Message = "The job of timer {BookmarkId} of workflow {InstanceId}, whose burst did not commit, could not be deleted; it will find no bookmark and end")]
    public static partial void UncommittedTimerJobLeft(ILogger logger, string instanceId, string bookmarkId, Exception exception);
}
