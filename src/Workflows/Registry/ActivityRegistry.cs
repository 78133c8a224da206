using System.ComponentModel;
using System.Reflection;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Activities.Composition;
using Followup.Workflows.Definitions;
using Followup.Workflows.Management;
using Microsoft.Extensions.DependencyInjection;
using LinqExpression = System.Linq.Expressions.Expression;

namespace Followup.Workflows.Registry;

/// <summary>
/// Every activity type the engine can run: the C# activities found in the registered assemblies, and every stored
/// workflow marked "usable as activity" (type = its Pascal-cased name).
/// </summary>
public sealed class ActivityRegistry
{
    private readonly Dictionary<string, List<ActivityType>> _types = new(StringComparer.Ordinal);
    private readonly WorkflowDefinitionCache _definitions;

    public ActivityRegistry(IEnumerable<ActivityAssembly> assemblies, WorkflowDefinitionCache definitions)
    {
        _definitions = definitions;
        foreach (var clr in assemblies.Select(a => a.Assembly).Distinct().SelectMany(a => a.GetTypes()))
        {
            if (clr.IsAbstract || !typeof(Activity).IsAssignableFrom(clr) || clr.GetCustomAttribute<ActivityAttribute>() is null)
                continue;
            var type = Describe(clr);
            if (!_types.TryGetValue(type.TypeName, out var versions))
                _types[type.TypeName] = versions = [];
            versions.Add(type);
            versions.Sort((a, b) => a.Version.CompareTo(b.Version));
        }
    }

    public IEnumerable<ActivityType> StaticTypes => _types.Values.SelectMany(v => v);

    /// <summary>The C# activity type with this name and version; the latest version when <paramref name="version"/> is null.</summary>
    public ActivityType? Find(string typeName, int? version = null)
    {
        if (!_types.TryGetValue(typeName, out var versions))
            return null;
        return version is null ? versions[^1] : versions.FirstOrDefault(v => v.Version == version);
    }

    public bool IsKnownTypeName(string typeName) => _types.ContainsKey(typeName);

    /// <summary>Every type the toolbox offers: C# activities and the workflows usable as activities (latest published version).</summary>
    public IEnumerable<ActivityType> ListAll() =>
        StaticTypes.Concat(_definitions.UsableAsActivity().Select(DescribeWorkflow));

    /// <summary>Resolves the workflow a workflow-as-activity node runs, as Elsa does: by type name, falling back to the definition id.</summary>
    public WorkflowDefinition? ResolveWorkflow(ActivityNode node)
    {
        var candidates = _definitions.ByActivityTypeName(node.Type);
        if (candidates.Count == 0 && node.WorkflowDefinitionId != null)
            candidates = _definitions.Versions(node.WorkflowDefinitionId);
        if (candidates.Count == 0)
            return null;
        return candidates.FirstOrDefault(d => d.Id == node.WorkflowDefinitionVersionId)
            ?? candidates.FirstOrDefault(d => d.Version == node.Version && d.DefinitionId == node.WorkflowDefinitionId)
            ?? candidates.FirstOrDefault(d => d.IsPublished)
            ?? candidates.FirstOrDefault(d => d.IsLatest)
            ?? candidates.MaxBy(d => d.Version);
    }

    public ActivityType? FindWorkflowActivity(ActivityNode node) =>
        node.ActivityType is null && ResolveWorkflow(node) is { } definition ? DescribeWorkflow(definition) : null;

    /// <summary>Builds the activity that runs a node, with its constructor dependencies from <paramref name="services"/>.</summary>
    public Activity CreateActivity(ActivityNode node, IServiceProvider services)
    {
        if (node.Type == Runtime.WorkflowGraph.RootType)
            return new WorkflowRoot();
        if (node.ActivityType is not { } type)
        {
            return ResolveWorkflow(node) != null
                ? ActivatorUtilities.CreateInstance<WorkflowDefinitionActivity>(services)
                : throw new ActivityTypeNotFoundException(node.Type, node.Version, node.DisplayName);
        }
        var activity = type.Factory!(services);
        foreach (var (name, value) in node.Bindings)
            Binders.Set(type.ClrType, name, activity, value);
        return activity;
    }

    public static ActivityType DescribeWorkflow(WorkflowDefinition definition) => new()
    {
        TypeName = definition.ActivityTypeName,
        Namespace = "",
        Name = definition.ActivityTypeName,
        Version = definition.Version,
        Category = definition.Options.ActivityCategory ?? "Workflows",
        DisplayName = definition.Name ?? definition.ActivityTypeName,
        Description = definition.Description,
        Kind = ActivityKind.Action,
        ClrType = typeof(WorkflowDefinitionActivity),
        WorkflowDefinition = definition,
        Inputs = definition.Inputs.Select(i => new InputDescriptor
        {
            Name = i.Name,
            ValueType = TypeAliases.Resolve(i.TypeName),
            TypeName = i.TypeName,
            IsWrapped = true,
            DisplayName = i.DisplayName ?? i.Name,
            Description = i.Description,
            Category = i.Category,
            UIHint = i.UIHint ?? "singleline",
            IsSynthetic = true,
        }).ToList(),
        Outputs = definition.Outputs.Select(o => new OutputDescriptor
        {
            Name = o.Name,
            ValueType = TypeAliases.Resolve(o.TypeName),
            TypeName = o.TypeName,
            DisplayName = o.DisplayName ?? o.Name,
            Description = o.Description,
            IsSynthetic = true,
        }).ToList(),
        Ports = definition.Outcomes.Select(o => new PortDescriptor { Name = o, DisplayName = o, Type = PortType.Flow }).ToList(),
    };

    private static ActivityType Describe(Type clr)
    {
        var attribute = clr.GetCustomAttribute<ActivityAttribute>()!;
        var name = attribute.Type ?? clr.Name;
        var properties = clr.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        var inputs = new List<InputDescriptor>();
        var outputs = new List<OutputDescriptor>();
        var ports = new List<PortDescriptor>();
        foreach (var p in properties)
        {
            if (p.GetCustomAttribute<InputAttribute>() is { } input)
            {
                var wrapped = p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(Input<>);
                var valueType = wrapped ? p.PropertyType.GetGenericArguments()[0] : p.PropertyType;
                inputs.Add(new InputDescriptor
                {
                    Name = p.Name,
                    ValueType = valueType,
                    TypeName = TypeAliases.AliasOf(valueType),
                    IsWrapped = wrapped,
                    DisplayName = input.DisplayName ?? Humanize(p.Name),
                    Description = input.Description,
                    Category = input.Category,
                    UIHint = input.UIHint ?? DefaultUIHint(valueType),
                    DefaultValue = input.DefaultValue,
                    DefaultSyntax = input.DefaultSyntax,
                    Options = input.Options ?? (valueType.IsEnum ? Enum.GetNames(valueType) : null),
                    Order = input.Order,
                    IsBrowsable = input.IsBrowsable,
                    AutoEvaluate = input.AutoEvaluate,
                    Property = p,
                });
            }
            else if (typeof(Output).IsAssignableFrom(p.PropertyType))
            {
                var output = p.GetCustomAttribute<OutputAttribute>();
                var valueType = p.PropertyType.GetGenericArguments()[0];
                outputs.Add(new OutputDescriptor
                {
                    Name = p.Name,
                    ValueType = valueType,
                    TypeName = TypeAliases.AliasOf(valueType),
                    DisplayName = output?.DisplayName ?? Humanize(p.Name),
                    Description = output?.Description,
                    IsBrowsable = output?.IsBrowsable ?? true,
                    Property = p,
                });
            }
            else if (p.GetCustomAttribute<PortAttribute>() is { } port && p.PropertyType == typeof(ActivityNode))
            {
                ports.Add(new PortDescriptor { Name = p.Name, DisplayName = port.DisplayName ?? Humanize(p.Name), Type = PortType.Embedded, IsBrowsable = port.IsBrowsable, Property = p });
            }
        }
        foreach (var outcome in clr.GetCustomAttribute<FlowNodeAttribute>()?.Outcomes ?? [])
            ports.Add(new PortDescriptor { Name = outcome, DisplayName = outcome, Type = PortType.Flow });

        var factory = ActivatorUtilities.CreateFactory(clr, Type.EmptyTypes);
        return new ActivityType
        {
            TypeName = string.IsNullOrEmpty(attribute.Namespace) ? name : $"{attribute.Namespace}.{name}",
            Namespace = attribute.Namespace,
            Name = name,
            Version = attribute.Version,
            Category = clr.GetCustomAttribute<CategoryAttribute>()?.Category ?? attribute.Category ?? clr.Namespace?.Split('.')[^1] ?? "Miscellaneous",
            DisplayName = attribute.DisplayName ?? Humanize(name),
            Description = attribute.Description,
            Kind = typeof(ITrigger).IsAssignableFrom(clr) ? ActivityKind.Trigger : attribute.Kind,
            ClrType = clr,
            Inputs = inputs.OrderBy(i => i.Order).ToList(),
            Outputs = outputs,
            Ports = ports,
            IsContainer = typeof(IContainerActivity).IsAssignableFrom(clr),
            IsBrowsable = clr.GetCustomAttribute<HiddenAttribute>() is null,
            IsStart = typeof(IStartNode).IsAssignableFrom(clr),
            IsTerminal = typeof(ITerminalNode).IsAssignableFrom(clr),
            IsTrigger = typeof(ITrigger).IsAssignableFrom(clr),
            Factory = sp => (Activity)factory(sp, null),
        };
    }

    private static string DefaultUIHint(Type type) =>
        type == typeof(bool) ? "checkbox"
        : type.IsEnum ? "dropdown"
        : type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? "dropdown"
        : "singleline";

    internal static string Humanize(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) && !char.IsUpper(name[i - 1]) ? " " + c : c.ToString()));

    /// <summary>Compiled property setters, one per activity property.</summary>
    private static class Binders
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type, string), Action<object, object?>> Setters = new();

        public static void Set(Type type, string property, object target, object? value) =>
            Setters.GetOrAdd((type, property), key => Compile(key.Item1, key.Item2))(target, value);

        private static Action<object, object?> Compile(Type type, string property)
        {
            var p = type.GetProperty(property, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)!;
            var target = LinqExpression.Parameter(typeof(object));
            var value = LinqExpression.Parameter(typeof(object));
            var assign = LinqExpression.Assign(LinqExpression.Property(LinqExpression.Convert(target, type), p), LinqExpression.Convert(value, p.PropertyType));
            return LinqExpression.Lambda<Action<object, object?>>(assign, target, value).Compile();
        }
    }
}

/// <summary>An assembly whose activities the registry registers.</summary>
public sealed record ActivityAssembly(Assembly Assembly);

public sealed class ActivityTypeNotFoundException(string typeName, int version, string activity)
    : Exception($"Activity '{activity}' has type '{typeName}' version {version}, which is not a registered activity nor a workflow usable as an activity.")
{
    public string TypeName { get; } = typeName;
}
