using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Registry;
using Followup.Workflows.Serialization;

namespace Followup.Workflows.Definitions;

/// <summary>
/// Reads Elsa 3 workflow definition JSON: both connection shapes, flags in customProperties or at the top level,
/// wrapped or bare inputs, legacy <c>memoryReference</c>s, <c>$values</c> wrappers. What it does not understand stays
/// in the JSON object and is written back unchanged.
/// </summary>
public sealed class WorkflowDefinitionReader(ActivityRegistry registry)
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    private static readonly HashSet<string> StructuralKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "nodeId", "name", "type", "version", "customProperties", "metadata", "activities", "connections", "variables",
        "start", "source", "line", "applicationProperties", "workflowDefinitionId", "workflowDefinitionVersionId",
        "latestAvailablePublishedVersion", "latestAvailablePublishedVersionId", "canStartWorkflow", "runAsynchronously",
        "branches", "cases",
    };

    public static JsonObject ParseJson(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text.TrimStart('\uFEFF'), NodeOptions, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new WorkflowDefinitionException($"invalid JSON: {ex.Message}");
        }
        return node as JsonObject ?? throw new WorkflowDefinitionException("the JSON is not an object");
    }

    public WorkflowDefinition Read(string text) => Read(ParseJson(text));

    public WorkflowDefinition Read(JsonObject json)
    {
        if (json["root"] is not JsonObject root)
            throw new WorkflowDefinitionException("the definition has no 'root' activity");
        var definitionId = Str(json, "definitionId") ?? Str(json, "id")
            ?? throw new WorkflowDefinitionException("the definition has neither 'definitionId' nor 'id'");
        var options = json["options"] as JsonObject;
        return new WorkflowDefinition
        {
            Id = Str(json, "id") ?? definitionId,
            DefinitionId = definitionId,
            Name = Str(json, "name"),
            Description = Str(json, "description"),
            Version = Int(json, "version") ?? 1,
            IsLatest = Bool(json, "isLatest") ?? true,
            IsPublished = Bool(json, "isPublished") ?? false,
            IsReadonly = Bool(json, "isReadonly") ?? false,
            CreatedAt = Str(json, "createdAt") is { } created && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var c) ? c : default,
            Variables = ReadVariables(json["variables"]),
            Inputs = ReadArguments(json["inputs"]),
            Outputs = ReadArguments(json["outputs"]),
            Outcomes = Items(json["outcomes"]).Select(o => o?.GetValue<string>()).OfType<string>().ToList(),
            CustomProperties = json["customProperties"] as JsonObject ?? [],
            Options = new WorkflowOptions
            {
                UsableAsActivity = (options is null ? null : Bool(options, "usableAsActivity")) ?? Bool(json, "usableAsActivity") ?? false,
                AutoUpdateConsumingWorkflows = options is not null && (Bool(options, "autoUpdateConsumingWorkflows") ?? false),
                ActivityCategory = options is null ? null : Str(options, "activityCategory"),
                IncidentStrategyType = options is null ? null : Str(options, "incidentStrategyType"),
                ActivationStrategyType = options is null ? null : Str(options, "activationStrategyType"),
            },
            Root = ReadActivityTree(root, WorkflowRootId),
            Json = json,
        };
    }

    private const string WorkflowRootId = "Workflow1";

    /// <summary>Reads an activity and everything below it; node ids start with <paramref name="parentNodeId"/>.</summary>
    public ActivityNode ReadActivityTree(JsonObject json, string parentNodeId)
    {
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        return ReadActivity(json, parentNodeId, null, counters);
    }

    private ActivityNode ReadActivity(JsonObject json, string parentNodeId, ActivityNode? parent, Dictionary<string, int> counters)
    {
        var type = Str(json, "type") ?? throw new WorkflowDefinitionException($"an activity{(Str(json, "id") is { } i ? $" '{i}'" : "")} has no 'type'");
        var id = Str(json, "id");
        if (string.IsNullOrEmpty(id))
        {
            var shortName = type[(type.LastIndexOf('.') + 1)..];
            counters[shortName] = counters.GetValueOrDefault(shortName) + 1;
            id = $"{shortName}{counters[shortName]}";
        }
        var version = Int(json, "version");
        var activityType = registry.Find(type, version) ?? (version is null ? null : registry.Find(type) is { } latest && version < latest.Version ? latest : null);
        var custom = json["customProperties"] as JsonObject ?? [];
        foreach (var flag in new[] { "canStartWorkflow", "runAsynchronously" })
        {
            if (!custom.ContainsKey(flag) && json[flag] is JsonValue v)
                custom[flag] = v.DeepClone();
        }

        var node = new ActivityNode
        {
            Id = id,
            Type = type,
            Version = version ?? activityType?.Version ?? 1,
            Name = Str(json, "name"),
            Json = json,
            CustomProperties = custom,
            ActivityType = activityType,
            WorkflowDefinitionId = json["workflowDefinitionId"] is JsonValue wd && wd.TryGetValue<string>(out var wdId) ? wdId : null,
            WorkflowDefinitionVersionId = json["workflowDefinitionVersionId"] is JsonValue wv && wv.TryGetValue<string>(out var wvId) ? wvId : null,
        };
        node.NodeId = $"{parentNodeId}:{id}";
        node.Parent = parent;

        foreach (var (key, value) in json)
        {
            if (StructuralKeys.Contains(key) || value is not JsonObject obj)
                continue;
            if (obj.ContainsKey("expression"))
                node.Expressions[key] = ReadExpression(obj["expression"]);
            else if (obj["memoryReference"] is JsonObject reference)
                node.OutputBindings[key] = Str(reference, "id");
            else if (obj.ContainsKey("typeName"))
                node.Expressions[key] = null;
        }

        foreach (var child in Items(json["activities"]).Concat(Items(json["branches"])).OfType<JsonObject>().Where(o => o.ContainsKey("type")))
            node.Activities.Add(ReadActivity(child, node.NodeId, node, counters));
        node.Variables.AddRange(ReadVariables(json["variables"]));
        var caseIndex = 0;
        foreach (var item in Items(json["cases"]))
        {
            if (item is JsonObject { } c && c["activity"] is JsonObject caseActivity && caseActivity.ContainsKey("type"))
                node.Ports[$"case:{caseIndex}"] = ReadActivity(caseActivity, node.NodeId, node, counters);
            caseIndex++;
        }

        if (activityType != null)
            Bind(node, activityType, counters);
        ReadConnections(node, json);
        return node;
    }

    private void Bind(ActivityNode node, ActivityType type, Dictionary<string, int> counters)
    {
        var json = node.Json;
        foreach (var input in type.Inputs)
        {
            var value = json[input.JsonName];
            try
            {
                if (input.IsWrapped)
                {
                    Expression? expression;
                    if (value is JsonObject obj)
                        expression = obj.ContainsKey("expression") ? ReadExpression(obj["expression"]) : null;
                    else if (value is JsonValue primitive)
                        expression = new Expression(Expression.Literal, primitive.DeepClone());
                    else
                        expression = null;
                    // An input the JSON leaves out takes the default its [Input] attribute declares, as the designer shows it.
                    expression ??= input.DefaultValue is null ? null : Expression.FromLiteral(FormatDefault(input.DefaultValue));
                    node.Bindings[input.Name] = Activator.CreateInstance(typeof(Input<>).MakeGenericType(input.ValueType), expression);
                }
                else if (value is not null)
                {
                    node.Bindings[input.Name] = value.Deserialize(input.ValueType, JsonValues.Options);
                }
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or NotSupportedException)
            {
                throw new WorkflowDefinitionException($"activity '{node.DisplayName}' ({node.Type}): input '{input.JsonName}' cannot be read: {ex.Message}");
            }
        }
        foreach (var output in type.Outputs)
        {
            var reference = json[output.JsonName] is JsonObject o && o["memoryReference"] is JsonObject r ? Str(r, "id") : null;
            node.Bindings[output.Name] = Activator.CreateInstance(typeof(Output<>).MakeGenericType(output.ValueType), reference);
        }
        foreach (var port in type.Ports.Where(p => p.Type == PortType.Embedded))
        {
            if (json[port.JsonName] is JsonObject child && child.ContainsKey("type"))
            {
                var childNode = ReadActivity(child, node.NodeId, node, counters);
                node.Ports[port.Name] = childNode;
                node.Bindings[port.Name] = childNode;
            }
        }
    }

    private static string FormatDefault(object value) => value switch
    {
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void ReadConnections(ActivityNode node, JsonObject json)
    {
        var byId = node.Activities.ToDictionary(a => a.Id, StringComparer.Ordinal);
        foreach (var item in Items(json["connections"]).OfType<JsonObject>())
        {
            string? sourceId, targetId, sourcePort, targetPort;
            if (item["source"] is JsonObject s && item["target"] is JsonObject t)
            {
                sourceId = Str(s, "activity");
                sourcePort = Str(s, "port");
                targetId = Str(t, "activity");
                targetPort = Str(t, "port");
            }
            else
            {
                sourceId = Str(item, "source");
                targetId = Str(item, "target");
                sourcePort = Str(item, "sourcePort");
                targetPort = Str(item, "targetPort");
            }
            if (sourceId is null || targetId is null || !byId.TryGetValue(sourceId, out var source) || !byId.TryGetValue(targetId, out var target))
                continue;
            node.Connections.Add(new Connection(source, sourcePort ?? Outcomes.DoneName, target, targetPort ?? "In"));
        }
        if (Str(json, "start") is { } startId && byId.TryGetValue(startId, out var start))
            node.Start = start;
    }

    public static Expression? ReadExpression(JsonNode? node) => node switch
    {
        JsonObject e => new Expression(Str(e, "type") ?? Expression.Literal, e["value"]?.DeepClone()),
        JsonValue v => new Expression(Expression.Literal, v.DeepClone()),
        _ => null,
    };

    private static List<VariableDefinition> ReadVariables(JsonNode? node) =>
        Items(node).OfType<JsonObject>().Select(v =>
        {
            var name = Str(v, "name") ?? Str(v, "id") ?? throw new WorkflowDefinitionException("a variable has no name");
            var typeName = Str(v, "typeName") ?? Str(v, "type") ?? "Object";
            if (Bool(v, "isArray") == true && !typeName.EndsWith("[]", StringComparison.Ordinal))
                typeName += "[]";
            return new VariableDefinition(Str(v, "id") ?? name, name, typeName, v["value"]?.DeepClone(), Str(v, "storageDriverTypeName"));
        }).ToList();

    private static List<ArgumentDefinition> ReadArguments(JsonNode? node) =>
        Items(node).OfType<JsonObject>().Where(a => Str(a, "name") != null).Select(a =>
        {
            var typeName = Str(a, "type") ?? Str(a, "typeName") ?? "Object";
            if (Bool(a, "isArray") == true && !typeName.EndsWith("[]", StringComparison.Ordinal))
                typeName += "[]";
            return new ArgumentDefinition(Str(a, "name")!, typeName, Str(a, "displayName"), Str(a, "description"), Str(a, "category"), Str(a, "uiHint"));
        }).ToList();

    /// <summary>Array items, accepting a <c>{ "$values": [...] }</c> wrapper or a single object.</summary>
    internal static IEnumerable<JsonNode?> Items(JsonNode? node) => node switch
    {
        JsonArray a => a,
        JsonObject o when o["$values"] is JsonArray values => values,
        JsonObject o => new JsonNode?[] { o },
        _ => Array.Empty<JsonNode?>(),
    };

    internal static string? Str(JsonObject obj, string key) =>
        obj[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    internal static int? Int(JsonObject obj, string key) =>
        obj[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i
        : obj[key] is JsonValue n && n.GetValueKind() == JsonValueKind.Number ? (int)n.GetValue<double>() : null;

    internal static bool? Bool(JsonObject obj, string key) =>
        obj[key] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;
}

public sealed class WorkflowDefinitionException(string message) : Exception(message);
