namespace Followup.Workflows.Runtime;

public sealed class BookmarkNotFoundException(string instanceId, string bookmarkId)
    : Exception($"Instance {instanceId} has no bookmark {bookmarkId}: it was already resumed or never existed.")
{
    public string InstanceId { get; } = instanceId;
    public string BookmarkId { get; } = bookmarkId;
}
