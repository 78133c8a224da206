namespace Followup.Workflows.Runtime;

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
