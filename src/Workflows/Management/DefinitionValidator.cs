using System.Text.Json.Nodes;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Activities.Composition;
using Followup.Workflows.Definitions;
using Followup.Workflows.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Workflows.Management;

/// <summary>What a definition must satisfy before it is stored or published: plain ids, known activity types, existing child workflows, valid triggers.</summary>
public sealed class DefinitionValidator(WorkflowDefinitionCache cache, ActivityRegistry registry, IServiceProvider services, TimeProvider clock, IEnumerable<IDefinitionRule> rules)
{
    /// <summary>
    /// Structural errors: an id that is not a plain name, unknown activity types or versions, child workflows that do
    /// not exist, and what the application's rules (<see cref="IDefinitionRule"/>) refuse. (Missing ids and types, doubled ids and dangling connections are refused when a file is imported.)
    /// </summary>
    public IReadOnlyList<string> Validate(WorkflowDefinition definition)
    {
        var errors = new List<string>();
        foreach (var (what, value) in new[] { ("definition id", definition.DefinitionId), ("version id", definition.Id) })
        {
            if (!IsPlainId(value))
                errors.Add($"the {what} '{value}' is not allowed: use 1–100 letters, digits, '-', '_' or '.', not starting with '.'");
        }
        foreach (var node in definition.Root.Descendants())
        {
            if (node.ActivityType is null && registry.ResolveWorkflow(node) is null)
            {
                errors.Add(registry.Find(node.Type) is { } known
                    ? $"activity '{node.DisplayName}' uses {node.Type} version {node.Version}; the registered version is {known.Version}"
                    : $"activity '{node.DisplayName}' has unknown type '{node.Type}'");
            }
            if (node.ActivityType?.ClrType is { } clr && (clr == typeof(ExecuteWorkflow) || clr == typeof(DispatchWorkflow))
                && node.Bindings.GetValueOrDefault("WorkflowDefinitionId") is Input<string> { Expression: { Type: Expression.Literal } e }
                && e.Text is { Length: > 0 } childId && cache.Versions(childId).Count == 0)
            {
                errors.Add($"activity '{node.DisplayName}' runs workflow '{childId}', which does not exist");
            }
            foreach (var rule in rules)
                errors.AddRange(rule.Check(node));
        }
        return errors;
    }

    private static bool IsPlainId(string id) =>
        id.Length is > 0 and <= 100 && id[0] != '.' && !id.Contains("..", StringComparison.Ordinal) && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>What Elsa's designer never writes and a hand-made or damaged file can hold: missing ids and types, doubled ids, dangling connections.</summary>
    public static List<string> StructureErrors(JsonObject? root)
    {
        var errors = new List<string>();
        if (root is null)
            return errors;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(JsonObject activity, string where)
        {
            var id = activity["id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            var type = activity["type"] is JsonValue t && t.TryGetValue<string>(out var ts) ? ts : null;
            if (string.IsNullOrWhiteSpace(type))
                errors.Add($"an activity {(id is null ? where : $"'{id}'")} has no type");
            if (string.IsNullOrWhiteSpace(id))
                errors.Add($"an activity of type '{type}' {where} has no id");
            else if (!seen.Add(id))
                errors.Add($"two activities have the id '{id}': every activity needs its own");
            if (activity["activities"] is JsonArray children)
            {
                var ids = children.OfType<JsonObject>().Select(c => c["id"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
                foreach (var child in children.OfType<JsonObject>())
                    Visit(child, $"in '{id}'");
                foreach (var connection in (activity["connections"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    foreach (var end in new[] { "source", "target" })
                    {
                        var target = connection[end] is JsonObject o ? o["activity"]?.ToString() : connection[end]?.ToString();
                        if (target is null || !ids.Contains(target))
                            errors.Add($"a connection in '{id}' has a {end} '{target}' that is not an activity of it");
                    }
                }
            }
            foreach (var (key, value) in activity)
            {
                if (key is "activities" or "connections" or "metadata" or "customProperties")
                    continue;
                foreach (var nested in Nested(value))
                    Visit(nested, $"in '{id}'");
            }
        }
        Visit(root, "at the root");
        return errors;
    }

    /// <summary>Activities held in a property (a loop's body, a sequence's list, an If's branches).</summary>
    private static IEnumerable<JsonObject> Nested(JsonNode? value) => value switch
    {
        JsonObject o when o["type"] is JsonValue t && t.TryGetValue<string>(out var type) && type.Contains('.', StringComparison.Ordinal) && o.ContainsKey("id") || o?["activities"] is not null => [o!],
        JsonObject o => o.Select(p => p.Value).Where(v => v is JsonArray or JsonObject).SelectMany(Nested),
        JsonArray a => a.SelectMany(Nested),
        _ => [],
    };

    public IEnumerable<string> TriggerErrors(WorkflowDefinition definition)
    {
        foreach (var node in TriggerNodes(definition))
        {
            string? error = null;
            try
            {
                _ = TriggerPayloads(node);
            }
            catch (TriggerValidationException ex)
            {
                error = ex.Message;
            }
            if (error != null)
                yield return error;
        }
    }

    public static IEnumerable<ActivityNode> TriggerNodes(WorkflowDefinition definition) =>
        definition.Root.Descendants().Where(n => n.ActivityType?.IsTrigger == true && n.CanStartWorkflow);

    public IReadOnlyList<TriggerPayload> TriggerPayloads(ActivityNode node)
    {
        using var scope = services.CreateScope();
        var trigger = (ITrigger)registry.CreateActivity(node, scope.ServiceProvider);
        return trigger.GetTriggerPayloads(new TriggerContext(node, clock)).ToList();
    }
}
