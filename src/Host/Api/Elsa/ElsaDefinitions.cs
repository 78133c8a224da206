using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Followup.Host.Api.Elsa;

// The workflow-definition shapes of the Elsa API the designer reads. They only travel together.

/// <summary>A link the designer follows (publish, retract, self).</summary>
public sealed record ElsaLink(string Href, string Rel, string Method);

/// <summary>A definition version in a list.</summary>
public sealed record DefinitionSummary(string Id, string DefinitionId, string? Name, string? Description, int Version, string ToolVersion, bool IsLatest, bool IsPublished,
    string MaterializerName, bool IsMaterializerAvailable, string? ProviderName, DateTimeOffset CreatedAt, bool IsReadonly, IReadOnlyList<ElsaLink> Links);

/// <summary>A page of definition versions.</summary>
public sealed record DefinitionPage(IReadOnlyList<DefinitionSummary> Items, int TotalCount, IReadOnlyList<ElsaLink> Links);

/// <summary>What saving or publishing answers: the definition as stored (Elsa's workflow JSON with its flags and links).</summary>
public sealed record SavedDefinition(
    JsonObject WorkflowDefinition,
    bool AlreadyPublished,
    int ConsumingWorkflowCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? ValidationErrors);

/// <summary>Whether a workflow name is free.</summary>
public sealed record NameUniqueness(bool IsUnique);

/// <summary>How many versions a bulk delete removed.</summary>
public sealed record DeletedCount(int Deleted);
