namespace Followup.Workflows.Persistence;

public sealed class WorkflowInstanceRecord
{
    public required string Id { get; set; }
    public required string DefinitionId { get; set; }
    public required string DefinitionVersionId { get; set; }
    public int DefinitionVersion { get; set; }
    public string? ParentInstanceId { get; set; }
    public string? CorrelationId { get; set; }
    public string? Name { get; set; }
    public required string Status { get; set; }
    public required string SubStatus { get; set; }
    public int IncidentCount { get; set; }
    /// <summary>The instance's <see cref="Runtime.WorkflowState"/> as JSON.</summary>
    public required Utf8Json State { get; set; }

    /// <summary>Optimistic concurrency: incremented by every commit; a commit that expected another value fails.</summary>
    public int Revision { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}
