using System.Runtime.CompilerServices;
using Followup.Workflows.Definitions;

namespace Followup.Workflows.Activities.Flowchart;

/// <summary>
/// A flowchart's connections split into forward edges (reachable from the start without closing a cycle) and
/// backward edges (loops). A backward edge is valid only when every path from its source back to the start passes
/// through its target.
/// </summary>
internal sealed class FlowGraph
{
    private static readonly ConditionalWeakTable<ActivityNode, Dictionary<string, FlowGraph>> Cache = new();

    private readonly ActivityNode? _root;
    private readonly HashSet<Connection> _forwardSet;
    private readonly HashSet<ActivityNode> _forwardTargets;

    // Each activity's connections, worked out once per graph: every step of every instance asks for them.
    private readonly Dictionary<ActivityNode, List<Connection>> _inbound;
    private readonly Dictionary<ActivityNode, List<Connection>> _outbound;
    private readonly Dictionary<ActivityNode, List<Connection>> _forwardInbound;
    private readonly Dictionary<ActivityNode, List<ActivityNode>> _ancestors = new();
    private readonly Dictionary<Connection, bool> _validBackward = new();

    private FlowGraph(IReadOnlyList<Connection> connections, ActivityNode? root)
    {
        _root = root;
        var forward = root is null ? [] : ComputeForward(connections, root);
        _forwardSet = [.. forward];
        _forwardTargets = [.. forward.Select(c => c.Target)];
        _inbound = ByNode(connections, c => c.Target);
        _outbound = ByNode(connections, c => c.Source);
        _forwardInbound = ByNode(forward, c => c.Target);
    }

    private static Dictionary<ActivityNode, List<Connection>> ByNode(IEnumerable<Connection> connections, Func<Connection, ActivityNode> node) =>
        connections.GroupBy(node).ToDictionary(g => g.Key, g => g.ToList());

    public static FlowGraph For(ActivityNode flowchart, ActivityNode? start)
    {
        var byStart = Cache.GetOrCreateValue(flowchart);
        lock (byStart)
        {
            var key = start?.Id ?? "";
            if (!byStart.TryGetValue(key, out var graph))
                byStart[key] = graph = new FlowGraph(flowchart.Connections, start);
            return graph;
        }
    }

    public IReadOnlyList<Connection> ForwardInbound(ActivityNode activity) => _forwardInbound.GetValueOrDefault(activity) ?? [];

    public IReadOnlyList<Connection> Inbound(ActivityNode activity) => _inbound.GetValueOrDefault(activity) ?? [];

    public IReadOnlyList<Connection> Outbound(ActivityNode activity) => _outbound.GetValueOrDefault(activity) ?? [];

    public bool IsDangling(ActivityNode activity) => activity != _root && !_forwardTargets.Contains(activity);

    public bool IsBackward(Connection connection, out bool isValid)
    {
        var backward = !_forwardSet.Contains(connection);
        isValid = backward && IsValidBackward(connection);
        return backward;
    }

    public List<ActivityNode> Ancestors(ActivityNode activity) => Once(_ancestors, activity, () =>
    {
        var result = new HashSet<ActivityNode>();
        var queue = new Queue<ActivityNode>([activity]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var c in ForwardInbound(current))
            {
                if (result.Add(c.Source))
                    queue.Enqueue(c.Source);
            }
        }
        return [.. result];
    });

    /// <summary>What the graph gives for <paramref name="key"/>, worked out the first time it is asked; instances on other threads share it.</summary>
    private static TValue Once<TKey, TValue>(Dictionary<TKey, TValue> cache, TKey key, Func<TValue> compute) where TKey : notnull
    {
        lock (cache)
        {
            if (!cache.TryGetValue(key, out var value))
                cache[key] = value = compute();
            return value;
        }
    }

    private static List<Connection> ComputeForward(IReadOnlyList<Connection> connections, ActivityNode root)
    {
        var adjacency = connections.GroupBy(c => c.Source).ToDictionary(g => g.Key, g => g.Select(c => c.Target).ToList());
        var visited = new HashSet<ActivityNode>();
        var visitedEdges = new HashSet<(ActivityNode, ActivityNode)>();
        var valid = new List<(ActivityNode Source, ActivityNode Target)>();
        var queue = new Queue<ActivityNode>([root]);
        while (queue.Count > 0)
        {
            var source = queue.Dequeue();
            visited.Add(source);
            if (!adjacency.TryGetValue(source, out var targets))
                continue;
            foreach (var target in targets)
            {
                if (visitedEdges.Contains((source, target)) || HasPath(valid, target, source))
                    continue;
                visitedEdges.Add((source, target));
                valid.Add((source, target));
                if (!visited.Contains(target))
                    queue.Enqueue(target);
            }
        }
        return valid.SelectMany(e => connections.Where(c => c.Source == e.Source && c.Target == e.Target)).Distinct().ToList();
    }

    private static bool HasPath(List<(ActivityNode Source, ActivityNode Target)> edges, ActivityNode from, ActivityNode to)
    {
        var visited = new HashSet<ActivityNode>();
        var stack = new Stack<ActivityNode>([from]);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (current == to)
                return true;
            if (!visited.Add(current))
                continue;
            foreach (var next in edges.Where(e => e.Source == current).Select(e => e.Target))
                stack.Push(next);
        }
        return false;
    }

    private bool IsValidBackward(Connection connection) => Once(_validBackward, connection, () => EveryPathBackPasses(connection));

    private bool EveryPathBackPasses(Connection connection)
    {
        if (_root is null)
            return false;
        var queue = new Queue<List<ActivityNode>>([[connection.Source]]);
        while (queue.Count > 0)
        {
            var path = queue.Dequeue();
            var last = path[^1];
            if (last == _root)
            {
                if (!path.Contains(connection.Target))
                    return false;
                continue;
            }
            foreach (var previous in ForwardInbound(last).Select(c => c.Source))
            {
                if (!path.Contains(previous))
                    queue.Enqueue([.. path, previous]);
            }
        }
        return true;
    }
}

/// <summary>
/// Counter-based join state: visits per activity and per connection, and whether each connection's last visit was
/// followed. Most are, so only the connections whose last visit was not are kept (<see cref="NotFollowed"/>); the
/// state kept between bursts is a third smaller than with a flag per connection.
/// </summary>
internal sealed class FlowScope
{
    public Dictionary<string, long> ActivityVisits { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, long> ConnectionVisits { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Visited connections whose last visit did not follow them; none is written as nothing.</summary>
    public HashSet<string>? NotFollowed { get; set; }

    /// <summary>Read from state written in the earlier form, a flag for every visited connection; never written.</summary>
    public Dictionary<string, bool>? ConnectionFollowed
    {
        get => null;
        set => NotFollowed = value?.Where(kv => !kv.Value).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal) is { Count: > 0 } set ? set : null;
    }

    public void VisitActivity(ActivityNode activity) => ActivityVisits[activity.Id] = ActivityVisits.GetValueOrDefault(activity.Id) + 1;

    public void VisitConnection(Connection connection, bool followed)
    {
        ConnectionVisits[connection.Key] = ConnectionVisits.GetValueOrDefault(connection.Key) + 1;
        if (followed)
        {
            if (NotFollowed?.Remove(connection.Key) == true && NotFollowed.Count == 0)
                NotFollowed = null;
        }
        else
            (NotFollowed ??= new HashSet<string>(StringComparer.Ordinal)).Add(connection.Key);
    }

    private long Visits(ActivityNode activity) => ActivityVisits.GetValueOrDefault(activity.Id);
    private long Visits(Connection connection) => ConnectionVisits.GetValueOrDefault(connection.Key);
    private bool Followed(Connection connection) => ConnectionVisits.ContainsKey(connection.Key) && NotFollowed?.Contains(connection.Key) != true;

    public bool AllInboundVisited(FlowGraph graph, ActivityNode activity) =>
        graph.ForwardInbound(activity).Select(Visits).DefaultIfEmpty(0).Min() > Visits(activity);

    public bool AnyInboundFollowed(FlowGraph graph, ActivityNode activity)
    {
        var inbound = graph.ForwardInbound(activity);
        if (inbound.Count == 0)
            return false;
        var max = inbound.Max(Visits);
        return max > Visits(activity) && inbound.Any(c => Visits(c) == max && Followed(c));
    }

    public bool AllInboundFollowed(FlowGraph graph, ActivityNode activity)
    {
        var inbound = graph.ForwardInbound(activity);
        if (inbound.Count == 0)
            return false;
        var max = inbound.Max(Visits);
        return max > Visits(activity) && inbound.All(c => Visits(c) == max && Followed(c));
    }

    public bool ShouldIgnore(Connection connection, ActivityNode activity) => Visits(connection) <= Visits(activity);
}

/// <summary>Token-based join state: a token per followed connection.</summary>
internal sealed class FlowToken
{
    public required string FromActivityId { get; set; }
    public required string ToActivityId { get; set; }
    public required string Outcome { get; set; }
    public bool Consumed { get; set; }
    public bool Blocked { get; set; }
}

public enum MergeMode
{
    None,
    Stream,
    Merge,
    Converge,
    Race,
    Cascade,
}

public enum FlowJoinMode
{
    WaitAny,
    WaitAll,
    WaitAllActive,
}
