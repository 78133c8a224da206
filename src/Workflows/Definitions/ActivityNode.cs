using System.Text.Json.Nodes;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Registry;

namespace Followup.Workflows.Definitions;

/// <summary>
/// One activity of a workflow definition as read from Elsa JSON. The original JSON object is kept so that
/// properties the engine does not understand (designer metadata, unknown inputs) survive a round trip.
/// </summary>
public sealed class ActivityNode
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public int Version { get; init; } = 1;
    public string? Name { get; init; }

    /// <summary>Colon-joined ids from the implicit <c>Workflow1</c> root down to this node.</summary>
    public string NodeId { get; internal set; } = "";

    public ActivityNode? Parent { get; internal set; }
    public required JsonObject Json { get; init; }
    public JsonObject CustomProperties { get; init; } = [];

    /// <summary>The registered activity type, or null for workflow-as-activity and unknown types.</summary>
    public ActivityType? ActivityType { get; init; }

    /// <summary>Values prepared for the activity class's properties, by property name (inputs, outputs, ports).</summary>
    public Dictionary<string, object?> Bindings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every wrapped input found in the JSON, by JSON property name (also for types the engine only knows at run time).</summary>
    public Dictionary<string, Expression?> Expressions { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every output binding found in the JSON: property name to memory reference id.</summary>
    public Dictionary<string, string?> OutputBindings { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<ActivityNode> Activities { get; } = [];
    public List<Connection> Connections { get; } = [];
    public Dictionary<string, ActivityNode> Ports { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<VariableDefinition> Variables { get; } = [];

    /// <summary>The flowchart's explicit start activity (legacy <c>start</c> property).</summary>
    public ActivityNode? Start { get; internal set; }

    /// <summary>Set for a workflow used as an activity: the definition id written on the node.</summary>
    public string? WorkflowDefinitionId { get; init; }
    public string? WorkflowDefinitionVersionId { get; init; }

    public bool CanStartWorkflow => CustomFlag("canStartWorkflow");
    public bool RunAsynchronously => CustomFlag("runAsynchronously");

    public string DisplayName => Name ?? Id;

    private bool CustomFlag(string name) =>
        CustomProperties.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.TryGetValue<bool>(out var b) && b;

    /// <summary>This node and every node below it, depth first.</summary>
    public IEnumerable<ActivityNode> Descendants()
    {
        yield return this;
        foreach (var child in Activities.Concat(Ports.Values))
        {
            foreach (var d in child.Descendants())
                yield return d;
        }
    }

    public override string ToString() => $"{Type} '{DisplayName}'";
}

/// <summary>A flowchart edge: followed when the source completes with <see cref="SourcePort"/> among its outcomes.</summary>
public sealed record Connection(ActivityNode Source, string SourcePort, ActivityNode Target, string TargetPort)
{
    public string Key { get; } = $"{Source.Id}:{SourcePort}->{Target.Id}:{TargetPort}";

    public override string ToString() => Key;
}

public sealed record VariableDefinition(string Id, string Name, string TypeName, JsonNode? Value, string? StorageDriverTypeName)
{
    /// <summary>Variables on the memory driver live for one burst and are never persisted.</summary>
    public bool IsTransient => StorageDriverTypeName?.Contains("Memory", StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>A workflow input or output definition.</summary>
public sealed record ArgumentDefinition(string Name, string TypeName, string? DisplayName, string? Description, string? Category, string? UIHint);
