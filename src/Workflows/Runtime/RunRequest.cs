namespace Followup.Workflows.Runtime;

/// <summary>What a burst should do: start a new instance, resume a bookmark, or retry faulted activities.</summary>
public sealed record RunRequest
{
    public string? BookmarkId { get; init; }
    public IReadOnlyDictionary<string, object?>? Input { get; init; }
    public bool RetryFaulted { get; init; }
}
