namespace Followup.Workflows.Persistence;

/// <summary>One journal entry: what an activity execution did, and when.</summary>
public sealed class JournalRecord
{
    public required string InstanceId { get; set; }
    public long Sequence { get; set; }
    public DateTime Timestamp { get; set; }
    public string? ActivityInstanceId { get; set; }
    public string? ActivityId { get; set; }
    public string? ActivityNodeId { get; set; }
    public string? ActivityType { get; set; }
    public string? ActivityName { get; set; }
    public required string EventName { get; set; }
    public string? Message { get; set; }
}
