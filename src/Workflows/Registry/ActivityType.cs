using System.Reflection;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Definitions;

namespace Followup.Workflows.Registry;

/// <summary>A registered activity type: its metadata (what the designer shows) and how to build and bind it.</summary>
public sealed class ActivityType
{
    public required string TypeName { get; init; }
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public int Version { get; init; } = 1;
    public required string Category { get; init; }
    public required string DisplayName { get; init; }
    public string? Description { get; init; }
    public ActivityKind Kind { get; init; }
    public required Type ClrType { get; init; }
    public IReadOnlyList<InputDescriptor> Inputs { get; init; } = [];
    public IReadOnlyList<OutputDescriptor> Outputs { get; init; } = [];
    public IReadOnlyList<PortDescriptor> Ports { get; init; } = [];
    public bool IsContainer { get; init; }
    public bool IsBrowsable { get; init; } = true;
    public bool IsStart { get; init; }
    public bool IsTerminal { get; init; }
    public bool IsTrigger { get; init; }

    /// <summary>Set on descriptors of workflows used as activities.</summary>
    public WorkflowDefinition? WorkflowDefinition { get; init; }

    internal Func<IServiceProvider, Activity>? Factory { get; init; }
    internal PropertyInfo? ActivitiesProperty { get; init; }

    public override string ToString() => $"{TypeName} v{Version}";
}

public sealed record InputDescriptor
{
    public required string Name { get; init; }
    public required Type ValueType { get; init; }
    public required string TypeName { get; init; }
    public bool IsWrapped { get; init; }
    public string? DisplayName { get; init; }
    public string? Description { get; init; }
    public string? Category { get; init; }
    public required string UIHint { get; init; }
    public object? DefaultValue { get; init; }
    public string? DefaultSyntax { get; init; }
    public IReadOnlyList<string>? Options { get; init; }
    public float Order { get; init; }
    public bool IsBrowsable { get; init; } = true;
    public bool AutoEvaluate { get; init; } = true;
    public bool IsSynthetic { get; init; }
    internal PropertyInfo? Property { get; init; }

    public string JsonName => char.ToLowerInvariant(Name[0]) + Name[1..];
}

public sealed record OutputDescriptor
{
    public required string Name { get; init; }
    public required Type ValueType { get; init; }
    public required string TypeName { get; init; }
    public string? DisplayName { get; init; }
    public string? Description { get; init; }
    public bool IsBrowsable { get; init; } = true;
    public bool IsSynthetic { get; init; }
    internal PropertyInfo? Property { get; init; }

    public string JsonName => char.ToLowerInvariant(Name[0]) + Name[1..];
}

public enum PortType
{
    Flow,
    Embedded,
}

public sealed record PortDescriptor
{
    public required string Name { get; init; }
    public required string DisplayName { get; init; }
    public PortType Type { get; init; }
    public bool IsBrowsable { get; init; } = true;
    internal PropertyInfo? Property { get; init; }

    public string JsonName => char.ToLowerInvariant(Name[0]) + Name[1..];
}
