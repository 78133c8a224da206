namespace Followup.Workflows.Abstractions;

/// <summary>Marks a class as a workflow activity and supplies the metadata the designer's toolbox shows.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ActivityAttribute(string @namespace, string? category = null, string? description = null) : Attribute
{
    public string Namespace { get; } = @namespace;
    public string? Category { get; } = category;
    public string? Description { get; } = description;
    public string? DisplayName { get; init; }

    /// <summary>Short type name; the class name when not set.</summary>
    public string? Type { get; init; }

    public int Version { get; init; } = 1;
    public ActivityKind Kind { get; init; } = ActivityKind.Action;
}

public enum ActivityKind
{
    Action,
    Trigger,
    Task,
    Job,
}

/// <summary>An input of an activity: a property of type <see cref="Input{T}"/> (expression-capable) or a plain property (literal JSON).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class InputAttribute : Attribute
{
    public string? Description { get; init; }
    public string? DisplayName { get; init; }
    public string? UIHint { get; init; }
    public string? Category { get; init; }
    public object? DefaultValue { get; init; }
    public string? DefaultSyntax { get; init; }
    public string[]? Options { get; init; }
    public float Order { get; init; }
    public bool IsBrowsable { get; init; } = true;

    /// <summary>False for inputs the activity evaluates itself, e.g. a loop condition evaluated on every iteration.</summary>
    public bool AutoEvaluate { get; init; } = true;
}

[AttributeUsage(AttributeTargets.Property)]
public sealed class OutputAttribute : Attribute
{
    public string? Description { get; init; }
    public string? DisplayName { get; init; }
    public bool IsBrowsable { get; init; } = true;
}

/// <summary>An embedded port: a property of type <see cref="Definitions.ActivityNode"/> holding a child activity.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PortAttribute : Attribute
{
    public string? DisplayName { get; init; }
    public bool IsBrowsable { get; init; } = true;
}

/// <summary>The static outcomes (flow ports) an activity can complete with.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class FlowNodeAttribute(params string[] outcomes) : Attribute
{
    public IReadOnlyList<string> Outcomes { get; } = outcomes;
}

/// <summary>Hides an activity from the toolbox (e.g. the flowchart container itself).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class HiddenAttribute : Attribute;
