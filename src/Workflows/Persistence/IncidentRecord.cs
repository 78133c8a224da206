namespace Followup.Workflows.Persistence;

public sealed class IncidentRecord
{
    public required string Id { get; set; }
    public required string InstanceId { get; set; }
    public required string ActivityId { get; set; }
    public required string ActivityNodeId { get; set; }
    public required string ActivityType { get; set; }
    public required string Message { get; set; }
    public string? ExceptionType { get; set; }
    public string? StackTrace { get; set; }
    public DateTime Timestamp { get; set; }
    public DateTime? ResolvedAt { get; set; }
}
