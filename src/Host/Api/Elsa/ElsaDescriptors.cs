using System.Text.Json.Serialization;

namespace Followup.Host.Api.Elsa;

// The descriptor shapes Elsa Studio reads from /elsa/api/descriptors/*. They only travel together.

/// <summary>An expression language the designer offers (Literal, JavaScript, Liquid, …).</summary>
public sealed record ExpressionDescriptor(string Type, string DisplayName, bool IsSerializable, bool IsBrowsable, IReadOnlyDictionary<string, string> Properties);

/// <summary>A named strategy the designer lists (activation, log persistence, incidents, commit).</summary>
public sealed record StrategyDescriptor(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TypeName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    string DisplayName,
    string Description);

/// <summary>A variable type the designer offers.</summary>
public sealed record VariableTypeDescriptor(string TypeName, string DisplayName, string Category, string? Description);

/// <summary>Where variables of an instance are stored.</summary>
public sealed record StorageDriverDescriptor(string TypeName, string DisplayName, int Priority, bool Deprecated);

/// <summary>An activity type as the designer's toolbox and property panel show it.</summary>
public sealed record ActivityDescriptor(
    string TypeName,
    [property: JsonPropertyName("namespace")] string? Namespace,
    string Name,
    int Version,
    string? Category,
    string? DisplayName,
    string? Description,
    string Kind,
    bool IsBrowsable,
    bool IsContainer,
    bool IsStart,
    bool IsTerminal,
    bool RunAsynchronously,
    IReadOnlyDictionary<string, object> CustomProperties,
    IReadOnlyDictionary<string, object> ConstructionProperties,
    IReadOnlyList<PortDescriptorView> Ports,
    IReadOnlyList<InputDescriptorView> Inputs,
    IReadOnlyList<OutputDescriptorView> Outputs);

/// <summary>An outcome port of an activity.</summary>
public sealed record PortDescriptorView(string Name, string? DisplayName, string Type, bool IsBrowsable);

/// <summary>An activity input: its editor (UI hint), default, and the choices of a dropdown.</summary>
public sealed record InputDescriptorView(string Name, string TypeName, string DisplayName, string? Description, float Order, bool IsBrowsable, bool IsWrapped,
    string? UiHint, string? Category, object? DefaultValue, string DefaultSyntax, bool IsReadOnly, bool IsSensitive, bool IsSynthetic, string? StorageDriverType,
    IReadOnlyDictionary<string, DropdownSpecification>? UiSpecifications);

/// <summary>The choices of a dropdown input.</summary>
public sealed record DropdownSpecification(SelectList SelectList);

/// <summary>A dropdown's items.</summary>
public sealed record SelectList(IReadOnlyList<SelectListItem> Items, bool IsFlagsEnum);

/// <summary>A dropdown item.</summary>
public sealed record SelectListItem(string Text, string Value);

/// <summary>An activity output.</summary>
public sealed record OutputDescriptorView(string Name, string TypeName, string DisplayName, string? Description, int Order, bool IsBrowsable, bool IsSynthetic);
