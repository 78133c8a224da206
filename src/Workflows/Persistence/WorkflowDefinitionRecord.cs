namespace Followup.Workflows.Persistence;

/// <summary>One version of a workflow definition; <see cref="Json"/> is the Elsa JSON with its flags.</summary>
public sealed class WorkflowDefinitionRecord
{
    public required string Id { get; set; }
    public required string DefinitionId { get; set; }
    public int Version { get; set; }
    public string? Name { get; set; }
    public bool IsLatest { get; set; }
    public bool IsPublished { get; set; }
    public bool UsableAsActivity { get; set; }
    public required string Json { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
