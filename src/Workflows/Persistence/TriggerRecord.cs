namespace Followup.Workflows.Persistence;

/// <summary>What starts a published workflow: an event name, a timer or a cron schedule.</summary>
public sealed class TriggerRecord
{
    public required string Id { get; set; }
    public required string DefinitionId { get; set; }
    public required string DefinitionVersionId { get; set; }
    public required string Name { get; set; }
    public required string ActivityId { get; set; }
    public required string Hash { get; set; }
    public string? Payload { get; set; }
    public DateTime? StartAt { get; set; }
    public TimeSpan? Interval { get; set; }
    public string? CronExpression { get; set; }

    /// <summary>The scheduler's job for the next timed start, deleted directly when the workflow is republished or retracted.</summary>
    public string? SchedulerJobId { get; set; }
}
