namespace Followup.Workflows.Persistence;

/// <summary>A waiting point, indexed by the hash of its stimulus so a stimulus finds its instance without a scan.</summary>
public sealed class BookmarkRecord
{
    public required string Id { get; set; }
    public required string InstanceId { get; set; }
    public required string DefinitionId { get; set; }
    public required string Name { get; set; }
    public required string Hash { get; set; }
    public string? CorrelationId { get; set; }
    public required string ActivityNodeId { get; set; }
    public required string ActivityInstanceId { get; set; }
    public string? Payload { get; set; }
    public DateTime? DueAt { get; set; }

    /// <summary>The scheduler's job for a timer bookmark, deleted directly when the bookmark goes away.</summary>
    public string? SchedulerJobId { get; set; }

    public DateTime CreatedAt { get; set; }
}
