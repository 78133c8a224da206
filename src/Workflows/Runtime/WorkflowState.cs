using System.Text.Json.Nodes;

namespace Followup.Workflows.Runtime;

/// <summary>The persisted state of an instance between bursts (serialized as JSON on the instance row).</summary>
public sealed record WorkflowState
{
    public required string Id { get; init; }
    public required string DefinitionId { get; init; }
    public required string DefinitionVersionId { get; init; }
    public int DefinitionVersion { get; init; }
    public string? CorrelationId { get; init; }
    public string? Name { get; init; }
    public string? ParentInstanceId { get; init; }
    public WorkflowStatus Status { get; init; }
    public WorkflowSubStatus SubStatus { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? TriggerActivityId { get; init; }
    public JsonObject Input { get; init; } = [];
    public JsonObject Properties { get; init; } = [];
    public List<Bookmark> Bookmarks { get; init; } = [];
    public List<Incident> Incidents { get; init; } = [];
    public List<ContextState> Contexts { get; init; } = [];
    public JsonObject ActivityOutputs { get; init; } = [];
    public Dictionary<string, string> ActivityNames { get; init; } = [];
    public JsonNode? LastResult { get; init; }
    public long JournalSequence { get; init; }
}

public sealed record ContextState
{
    public required string Id { get; init; }
    public string? ParentId { get; init; }
    public required string NodeId { get; init; }
    public ActivityStatus Status { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public JsonObject? Input { get; init; }

    /// <summary>
    /// What activities keep between bursts (a flowchart's visit counts): written straight from the activity's own
    /// objects, read back as JSON elements that become those objects again when the activity asks for them.
    /// </summary>
    public Dictionary<string, object?>? Properties { get; init; }

    public JsonObject? Variables { get; init; }
    public ScopeState? Scope { get; init; }
}

public sealed record ScopeState
{
    public required string DefinitionVersionId { get; init; }
    public JsonObject Inputs { get; init; } = [];
    public JsonObject Outputs { get; init; } = [];
    public List<string>? CompletionOutcomes { get; init; }
}
