namespace Followup.Workflows.Runtime;

/// <summary>What a burst should do: start a new instance, resume a bookmark, or retry faulted activities.</summary>
public sealed record RunRequest
{
    public string? BookmarkId { get; init; }
    public IReadOnlyDictionary<string, object?>? Input { get; init; }
    public bool RetryFaulted { get; init; }
}

/// <summary>How a new instance starts.</summary>
public sealed record NewInstance
{
    public string? InstanceId { get; init; }
    public string? CorrelationId { get; init; }
    public string? ParentInstanceId { get; init; }
    public string? TriggerActivityId { get; init; }
    public IReadOnlyDictionary<string, object?>? Input { get; init; }
    public IReadOnlyDictionary<string, object?>? Properties { get; init; }
}

public sealed class BookmarkNotFoundException(string instanceId, string bookmarkId)
    : Exception($"Instance {instanceId} has no bookmark {bookmarkId}: it was already resumed or never existed.")
{
    public string InstanceId { get; } = instanceId;
    public string BookmarkId { get; } = bookmarkId;
}

public sealed class RunawayBurstException(int limit, string activity)
    : Exception($"The workflow ran {limit} activities without waiting once (the limit, Engine:MaxActivityExecutionsPerBurst) and was stopped before '{activity}': a loop in which no step waits?");
