using System.Collections.Concurrent;
using Followup.Workflows.Definitions;

namespace Followup.Workflows.Management;

/// <summary>Every stored definition version, parsed, in memory: graphs and workflow-as-activity lookups never hit the database.</summary>
public sealed class WorkflowDefinitionCache
{
    private readonly ConcurrentDictionary<string, WorkflowDefinition> _byVersionId = new(StringComparer.Ordinal);

    public WorkflowDefinition? FindVersion(string versionId) => _byVersionId.GetValueOrDefault(versionId);

    public IReadOnlyList<WorkflowDefinition> Versions(string definitionId) =>
        _byVersionId.Values.Where(d => d.DefinitionId == definitionId).OrderBy(d => d.Version).ToList();

    public IReadOnlyList<WorkflowDefinition> All() => _byVersionId.Values.OrderBy(d => d.DefinitionId).ThenBy(d => d.Version).ToList();

    public WorkflowDefinition? Published(string definitionId) => _byVersionId.Values.FirstOrDefault(d => d.DefinitionId == definitionId && d.IsPublished);

    public WorkflowDefinition? Latest(string definitionId) =>
        _byVersionId.Values.Where(d => d.DefinitionId == definitionId).OrderByDescending(d => d.IsLatest).ThenByDescending(d => d.Version).FirstOrDefault();

    public IReadOnlyList<WorkflowDefinition> ByActivityTypeName(string typeName) =>
        _byVersionId.Values.Where(d => d.Options.UsableAsActivity && d.ActivityTypeName == typeName).OrderBy(d => d.Version).ToList();

    /// <summary>For the toolbox: the published (else latest) version of each workflow usable as an activity.</summary>
    public IEnumerable<WorkflowDefinition> UsableAsActivity() =>
        _byVersionId.Values.Where(d => d.Options.UsableAsActivity)
            .GroupBy(d => d.DefinitionId)
            .Select(g => g.FirstOrDefault(d => d.IsPublished) ?? g.MaxBy(d => d.Version)!);

    internal void Set(WorkflowDefinition definition) => _byVersionId[definition.Id] = definition;

    internal void Remove(string versionId) => _byVersionId.TryRemove(versionId, out _);
}
