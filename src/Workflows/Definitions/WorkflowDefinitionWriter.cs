using System.Text.Json.Nodes;
using Followup.Workflows.Registry;

namespace Followup.Workflows.Definitions;

/// <summary>
/// Writes Elsa 3 JSON in the current shape: node ids on every activity, flags in customProperties, nested
/// connections with vertices. Everything else in the JSON (designer metadata, unknown properties) is kept as read.
/// </summary>
public sealed class WorkflowDefinitionWriter(ActivityRegistry registry)
{
    public const string SchemaUrl = "https://elsaworkflows.io/schemas/workflow-definition/v3.0.0/schema.json";

    public JsonObject Write(WorkflowDefinition definition, DefinitionFlags flags)
    {
        var json = definition.Json.DeepClone().AsObject();
        json["id"] = flags.Id;
        json["definitionId"] = flags.DefinitionId;
        json["version"] = flags.Version;
        json["isLatest"] = flags.IsLatest;
        json["isPublished"] = flags.IsPublished;
        if (json["usableAsActivity"] is JsonValue legacy)
        {
            var options = json["options"] as JsonObject ?? [];
            if (!options.ContainsKey("usableAsActivity"))
                options["usableAsActivity"] = legacy.DeepClone();
            json["options"] = options;
        }
        var reader = new WorkflowDefinitionReader(registry);
        var root = reader.ReadActivityTree(json["root"]!.AsObject(), "Workflow1");
        foreach (var node in root.Descendants())
            Normalize(node);
        return json;
    }

    public static JsonObject ForExport(JsonObject json)
    {
        var export = new JsonObject { ["$schema"] = SchemaUrl };
        foreach (var (k, v) in json)
        {
            if (k != "$schema")
                export[k] = v?.DeepClone();
        }
        return export;
    }

    private static void Normalize(ActivityNode node)
    {
        var json = node.Json;
        json["id"] = node.Id;
        json["nodeId"] = node.NodeId;
        json["version"] = node.Version;
        var custom = node.CustomProperties;
        custom.TryAdd("canStartWorkflow", false);
        custom.TryAdd("runAsynchronously", false);
        json.Remove("canStartWorkflow");
        json.Remove("runAsynchronously");
        json["customProperties"] = custom.Parent is null ? custom : custom.DeepClone();
        if (json["connections"] is JsonArray connections)
        {
            var rewritten = new JsonArray();
            foreach (var c in node.Connections)
            {
                var original = connections.OfType<JsonObject>().FirstOrDefault(o => IsSame(o, c));
                rewritten.Add(new JsonObject
                {
                    ["source"] = new JsonObject { ["activity"] = c.Source.Id, ["port"] = c.SourcePort },
                    ["target"] = new JsonObject { ["activity"] = c.Target.Id, ["port"] = c.TargetPort },
                    ["vertices"] = original?["vertices"]?.DeepClone() ?? new JsonArray(),
                });
            }
            json["connections"] = rewritten;
        }
    }

    private static bool IsSame(JsonObject json, Connection c) =>
        json["source"] is JsonObject s
            ? s["activity"]?.GetValue<string>() == c.Source.Id && s["port"]?.GetValue<string>() == c.SourcePort && json["target"]?["activity"]?.GetValue<string>() == c.Target.Id
            : json["source"]?.GetValue<string>() == c.Source.Id && json["target"]?.GetValue<string>() == c.Target.Id;
}

public sealed record DefinitionFlags(string Id, string DefinitionId, int Version, bool IsLatest, bool IsPublished);
