using System.Collections.Concurrent;
using Followup.Workflows.Definitions;

namespace Followup.Workflows.Runtime;

/// <summary>
/// The runnable graph of one definition version: the implicit <c>Workflow1</c> root above the definition's root
/// activity, and an index of every node by node id. Workflows used as activities are materialized below the node
/// that uses them, on first use, so their node ids are unique within this graph.
/// </summary>
public sealed class WorkflowGraph
{
    public const string RootType = "Elsa.Workflow";
    public const string RootId = "Workflow1";

    private readonly ConcurrentDictionary<string, ActivityNode> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string NodeId, string VersionId), ActivityNode> _children = new();
    private readonly WorkflowDefinitionReader _reader;

    internal WorkflowGraph(WorkflowDefinition definition, WorkflowDefinitionReader reader)
    {
        Definition = definition;
        _reader = reader;
        Root = new ActivityNode { Id = RootId, Type = RootType, Json = [], NodeId = RootId };
        Root.Ports["root"] = definition.Root;
        definition.Root.Parent = Root;
        Index(Root);
    }

    public WorkflowDefinition Definition { get; }
    public ActivityNode Root { get; }

    public ActivityNode? FindNode(string nodeId) => _nodes.GetValueOrDefault(nodeId);

    /// <summary>The root activity of <paramref name="child"/> as embedded below <paramref name="host"/> (a workflow-as-activity node).</summary>
    public ActivityNode GetChildRoot(ActivityNode host, WorkflowDefinition child) =>
        _children.GetOrAdd((host.NodeId, child.Id), _ =>
        {
            var root = _reader.ReadActivityTree(child.Json["root"]!.AsObject(), host.NodeId);
            root.Parent = host;
            Index(root);
            return root;
        });

    private void Index(ActivityNode node)
    {
        foreach (var n in node.Descendants())
            _nodes[n.NodeId] = n;
    }
}
