using System.Text.Json.Nodes;

namespace Followup.Workflows.Definitions;

/// <summary>A parsed Elsa 3 workflow definition (one version of it).</summary>
public sealed class WorkflowDefinition
{
    public required string Id { get; init; }
    public required string DefinitionId { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public int Version { get; init; } = 1;
    public bool IsLatest { get; init; }
    public bool IsPublished { get; init; }
    public bool IsReadonly { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public List<VariableDefinition> Variables { get; init; } = [];
    public List<ArgumentDefinition> Inputs { get; init; } = [];
    public List<ArgumentDefinition> Outputs { get; init; } = [];
    public List<string> Outcomes { get; init; } = [];
    public JsonObject CustomProperties { get; init; } = [];
    public WorkflowOptions Options { get; init; } = new();
    public required ActivityNode Root { get; init; }

    /// <summary>The JSON as read, with every unknown property kept.</summary>
    public required JsonObject Json { get; init; }

    /// <summary>Type name this workflow has when used as an activity: the Pascal-cased name ("Subworkflow test" → "SubworkflowTest").</summary>
    public string ActivityTypeName => ToActivityTypeName(Name ?? DefinitionId);

    public static string ToActivityTypeName(string name)
    {
        var parts = name.Split([' ', '_'], StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(parts.Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}

public sealed record WorkflowOptions
{
    public bool UsableAsActivity { get; init; }
    public bool AutoUpdateConsumingWorkflows { get; init; }
    public string? ActivityCategory { get; init; }
    public string? IncidentStrategyType { get; init; }
    public string? ActivationStrategyType { get; init; }

    public bool ContinueWithIncidents => IncidentStrategyType?.Contains("ContinueWithIncidents", StringComparison.Ordinal) == true;
}
