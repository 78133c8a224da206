using System.Text.Json.Nodes;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Definitions;
using Followup.Workflows.Serialization;
using Microsoft.Extensions.Options;

namespace Followup.Workflows.Runtime;

/// <summary>An instance's execution contexts, variables and bookmarks to its persisted <see cref="WorkflowState"/> and back.</summary>
internal static class InstanceState
{
    public static WorkflowState ExtractState(WorkflowExecutionContext wec, int definitionVersion)
    {
        var kept = wec.Contexts.Where(c => c.Status is not (ActivityStatus.Completed or ActivityStatus.Canceled) || c == wec.RootContext);
        return new WorkflowState
        {
            Id = wec.InstanceId,
            DefinitionId = wec.Definition.DefinitionId,
            DefinitionVersionId = wec.Definition.Id,
            DefinitionVersion = definitionVersion,
            CorrelationId = wec.CorrelationId,
            Name = wec.Name,
            ParentInstanceId = wec.ParentInstanceId,
            Status = wec.Status,
            SubStatus = wec.SubStatus,
            CreatedAt = wec.CreatedAt,
            UpdatedAt = wec.Clock.GetUtcNow(),
            FinishedAt = wec.FinishedAt,
            TriggerActivityId = wec.TriggerActivityId,
            Input = JsonValues.ToObject(wec.Input),
            Properties = JsonValues.ToObject(wec.Properties),
            Bookmarks = [.. wec.Bookmarks],
            Incidents = [.. wec.Incidents],
            Contexts = kept.Select(c => new ContextState
            {
                Id = c.Id,
                ParentId = c.Parent?.Id,
                NodeId = c.Node.NodeId,
                Status = c.Status,
                StartedAt = c.StartedAt,
                Input = c.Input.Count == 0 ? null : JsonValues.ToObject(c.Input),
                Properties = c.Properties.Count == 0 ? null : new Dictionary<string, object?>(c.Properties, StringComparer.Ordinal),
                Variables = c.Variables is null ? null : JsonValues.ToObject(PersistentVariables(c)),
                Scope = c.Scope is null ? null : new ScopeState
                {
                    DefinitionVersionId = c.Scope.Definition.Id,
                    Inputs = JsonValues.ToObject(c.Scope.Inputs),
                    Outputs = JsonValues.ToObject(c.Scope.Outputs),
                    CompletionOutcomes = c.CompletionOutcomes?.Names.ToList(),
                },
            }).ToList(),
            ActivityOutputs = JsonValues.ToObject(wec.ActivityOutputs.ToDictionary(kv => kv.Key, kv => (object?)kv.Value)),
            ActivityNames = new Dictionary<string, string>(wec.ActivityNames),
            LastResult = JsonValues.ToNode(wec.LastResult),
            JournalSequence = wec.JournalSequence,
        };
    }

    private static Dictionary<string, object?> PersistentVariables(ActivityExecutionContext context) =>
        context.Variables!
            .Where(kv => context.VariableDeclarations?.FirstOrDefault(d => d.Name == kv.Key)?.IsTransient != true)
            .ToDictionary(kv => kv.Key, kv => kv.Value);

    public static WorkflowExecutionContext LoadInstance(WorkflowRunner runner, WorkflowGraph graph, WorkflowState state, IServiceProvider services, Func<string, WorkflowDefinition?> findVersion, CancellationToken cancellationToken)
    {
        var wec = new WorkflowExecutionContext(graph, state.Id, runner, services, cancellationToken)
        {
            CorrelationId = state.CorrelationId,
            Name = state.Name,
            ParentInstanceId = state.ParentInstanceId,
            Status = state.Status,
            SubStatus = state.SubStatus,
            CreatedAt = state.CreatedAt,
            FinishedAt = state.FinishedAt,
            TriggerActivityId = state.TriggerActivityId,
            Input = JsonValues.ToDictionary(state.Input),
            Properties = JsonValues.ToDictionary(state.Properties),
            JournalSequence = state.JournalSequence,
            LastResult = JsonValues.ToClr(state.LastResult),
        };
        wec.Bookmarks.AddRange(state.Bookmarks);
        wec.Incidents.AddRange(state.Incidents);
        wec.LoadedIncidentIds = state.Incidents.Select(i => i.Id).ToHashSet();
        foreach (var (k, v) in state.ActivityOutputs)
            wec.ActivityOutputs[k] = JsonValues.ToDictionary(v as JsonObject ?? []);
        foreach (var (k, v) in state.ActivityNames)
            wec.ActivityNames[k] = v;

        var byId = new Dictionary<string, ActivityExecutionContext>(StringComparer.Ordinal);
        foreach (var cs in state.Contexts)
        {
            var parent = cs.ParentId is null ? null : byId.GetValueOrDefault(cs.ParentId);
            var node = graph.FindNode(cs.NodeId)
                ?? throw new InvalidOperationException($"Instance {state.Id} refers to node '{cs.NodeId}', which definition version {state.DefinitionVersionId} does not have.");
            var context = new ActivityExecutionContext(wec, cs.Id, node, parent)
            {
                Status = cs.Status,
                StartedAt = cs.StartedAt,
                Input = cs.Input is null ? new Dictionary<string, object?>() : JsonValues.ToDictionary(cs.Input),
            };
            foreach (var (k, v) in cs.Properties ?? [])
                context.Properties[k] = v;
            if (cs.Variables != null)
            {
                context.VariableDeclarations = parent == null ? [.. wec.Definition.Variables, .. node.Variables] : [.. node.Variables];
                context.Variables = JsonValues.ToDictionary(cs.Variables, StringComparer.Ordinal);
            }
            if (cs.Scope != null)
            {
                var definition = parent == null ? wec.Definition : findVersion(cs.Scope.DefinitionVersionId)
                    ?? throw new InvalidOperationException($"Instance {state.Id} uses workflow version {cs.Scope.DefinitionVersionId}, which is not stored.");
                context.Scope = new WorkflowScope(definition)
                {
                    Inputs = parent == null ? wec.Input : JsonValues.ToDictionary(cs.Scope.Inputs),
                    Outputs = JsonValues.ToDictionary(cs.Scope.Outputs),
                };
                if (parent != null)
                {
                    graph.GetChildRoot(node, definition);
                    context.VariableDeclarations = [.. definition.Variables];
                }
                context.CompletionOutcomes = cs.Scope.CompletionOutcomes is { } outcomes ? new Outcomes(outcomes) : null;
            }
            parent?.Children.Add(context);
            wec.Contexts.Add(context);
            byId[cs.Id] = context;
            if (parent == null)
                wec.RootContext = context;
        }
        return wec;
    }
}
