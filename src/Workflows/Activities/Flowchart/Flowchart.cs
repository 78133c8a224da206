using Followup.Workflows.Abstractions;
using Followup.Workflows.Definitions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Flowchart;

/// <summary>
/// Activities and connections between their ports. Two join algorithms, as in Elsa 3: counter-based (default;
/// every activity is an implicit "wait for all active inbound branches" join with dead-path elimination) and
/// token-based (per-activity merge modes), chosen by the workflow's <c>Flowchart:ExecutionMode</c> property.
/// </summary>
[Activity("Elsa", "Flow", "A flowchart is a collection of activities and connections between them.")]
[Hidden]
public sealed class Flowchart : Activity, IContainerActivity
{
    private const string ScopeKey = "FlowScope";
    private const string TokensKey = "Flowchart.Tokens";
    private const string BackwardConnectionInput = "BackwardConnection";

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var start = StartActivity(context);
        if (start is null)
            return context.CompleteAsync();
        context.ScheduleActivity(start);
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes) =>
        context.Workflow.FlowchartMode == FlowchartExecutionMode.TokenBased
            ? OnChildCompletedTokenBasedAsync(context, child, outcomes)
            : OnChildCompletedCounterBasedAsync(context, child, outcomes);

    public override async ValueTask OnChildCanceledAsync(ActivityExecutionContext context, ActivityExecutionContext child)
    {
        if (context.Workflow.FlowchartMode == FlowchartExecutionMode.TokenBased)
        {
            Tokens(context).RemoveAll(t => t.FromActivityId == child.Node.Id || t.ToActivityId == child.Node.Id);
            await CompleteIfNoPendingWorkAsync(context);
            return;
        }
        await CompleteIfNoPendingWorkAsync(context);
        if (context.Status == ActivityStatus.Running && context.Node.Activities.Contains(child.Node))
            await ScheduleOutboundAsync(Graph(context), Scope(context), context, child.Node, Outcomes.Empty, false);
    }

    /// <summary>The trigger, else the explicit start, else the first Start, else the first "can start workflow", else the first without inbound connections, else the first.</summary>
    internal static ActivityNode? StartActivity(ActivityExecutionContext context)
    {
        var node = context.Node;
        var trigger = context.Workflow.TriggerActivityId;
        return (trigger is null ? null : node.Activities.FirstOrDefault(a => a.Id == trigger))
            ?? node.Start
            ?? node.Activities.FirstOrDefault(a => a.ActivityType?.IsStart == true)
            ?? node.Activities.FirstOrDefault(a => a.CanStartWorkflow)
            ?? node.Activities.FirstOrDefault(a => node.Connections.All(c => c.Target != a))
            ?? node.Activities.FirstOrDefault();
    }

    internal static FlowGraph Graph(ActivityExecutionContext context) => FlowGraph.For(context.Node, StartActivity(context));

    private static FlowScope Scope(ActivityExecutionContext context) => context.GetProperty(ScopeKey, () => new FlowScope());

    private static List<FlowToken> Tokens(ActivityExecutionContext context) => context.GetProperty(TokensKey, () => new List<FlowToken>());

    // ---------------------------------------------------------------- counter-based

    private static async ValueTask OnChildCompletedCounterBasedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes)
    {
        if (child.Node.ActivityType?.IsTerminal == true)
        {
            await context.CompleteAsync();
            return;
        }
        var byBackwardConnection = child.Input.TryGetValue(BackwardConnectionInput, out var b) && b is true;
        var scheduled = await ScheduleOutboundAsync(Graph(context), Scope(context), context, child.Node, outcomes, byBackwardConnection);
        if (!scheduled)
            await CompleteIfNoPendingWorkAsync(context);
    }

    private static async ValueTask<bool> ScheduleOutboundAsync(FlowGraph graph, FlowScope scope, ActivityExecutionContext context, ActivityNode activity, Outcomes outcomes, bool byBackwardConnection)
    {
        if (graph.IsDangling(activity))
            throw new InvalidOperationException($"Activity {activity.Id} is not reachable from the start of the flowchart; its outbound connections cannot be scheduled.");
        if (!byBackwardConnection)
            scope.VisitActivity(activity);

        var scheduled = false;
        foreach (var connection in graph.Outbound(activity))
        {
            var followed = outcomes.Contains(connection.SourcePort);
            scope.VisitConnection(connection, followed);
            var target = connection.Target;
            if (graph.IsBackward(connection, out var valid))
            {
                if (!followed)
                    continue;
                if (!valid)
                    throw new InvalidOperationException($"Invalid backward connection: every path from '{connection.Source.Id}' back to the start must pass through '{target.Id}'.");
                context.ScheduleActivity(target, new Dictionary<string, object?> { [BackwardConnectionInput] = true });
                scheduled = true;
                continue;
            }
            scheduled |= JoinMode(context, target) switch
            {
                FlowJoinMode.WaitAll => await WaitAllAsync(graph, scope, context, target, requireAllFollowed: true),
                FlowJoinMode.WaitAllActive => await WaitAllAsync(graph, scope, context, target, requireAllFollowed: false),
                _ => await WaitAnyAsync(graph, scope, context, connection, target),
            };
        }
        return scheduled;
    }

    private static FlowJoinMode JoinMode(ActivityExecutionContext context, ActivityNode target) =>
        target.ActivityType?.ClrType == typeof(FlowJoin)
            ? context.Get(target.Bindings.GetValueOrDefault(nameof(FlowJoin.Mode)) as Input<FlowJoinMode>)
            : FlowJoinMode.WaitAllActive;

    private static async ValueTask<bool> WaitAllAsync(FlowGraph graph, FlowScope scope, ActivityExecutionContext context, ActivityNode target, bool requireAllFollowed)
    {
        if (!scope.AllInboundVisited(graph, target))
            return false;
        var schedule = requireAllFollowed ? scope.AllInboundFollowed(graph, target) : scope.AnyInboundFollowed(graph, target);
        if (schedule)
        {
            context.ScheduleActivity(target);
            return true;
        }
        return await ScheduleOutboundAsync(graph, scope, context, target, Outcomes.Empty, false);
    }

    private static async ValueTask<bool> WaitAnyAsync(FlowGraph graph, FlowScope scope, ActivityExecutionContext context, Connection connection, ActivityNode target)
    {
        if (scope.ShouldIgnore(connection, target))
            return false;
        if (context.Workflow.HasScheduledWorkFor(w => w.Owner == context && w.Node == target) || context.Children.Any(c => c.Node == target && c.Status == ActivityStatus.Running))
            return false;
        if (scope.AnyInboundFollowed(graph, target))
        {
            context.ScheduleActivity(target);
            await CancelInboundAncestorsAsync(context, target);
            return true;
        }
        if (scope.AllInboundVisited(graph, target))
            return await ScheduleOutboundAsync(graph, scope, context, target, Outcomes.Empty, false);
        return false;
    }

    /// <summary>Cancels running executions of the activities upstream of <paramref name="target"/> (a WaitAny join won).</summary>
    internal static async ValueTask CancelInboundAncestorsAsync(ActivityExecutionContext context, ActivityNode target)
    {
        var ancestors = Graph(context).Ancestors(target);
        foreach (var child in context.Children.Where(c => ancestors.Contains(c.Node)).ToList())
            await child.CancelAsync();
    }

    private static async ValueTask CompleteIfNoPendingWorkAsync(ActivityExecutionContext context)
    {
        if (context.Status != ActivityStatus.Running || HasRunningOrScheduledWork(context))
            return;
        if (context.Workflow.FlowchartMode == FlowchartExecutionMode.TokenBased && Tokens(context).Any(t => !t.Consumed && !t.Blocked))
            return;
        if (context.Children.Any(c => c.Status == ActivityStatus.Faulted))
            return;
        await context.CompleteAsync();
    }

    private static bool HasRunningOrScheduledWork(ActivityExecutionContext context) =>
        context.Children.Any(c => c.Status == ActivityStatus.Running && context.Node.Activities.Contains(c.Node))
        || context.Workflow.HasScheduledWorkFor(w => w.Owner is { } owner && (owner == context || owner.Ancestors().Contains(context)));

    // ---------------------------------------------------------------- token-based

    private static async ValueTask OnChildCompletedTokenBasedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes)
    {
        var completed = child.Node;
        var tokens = Tokens(context);
        if (completed.ActivityType?.IsTerminal == true)
        {
            tokens.Clear();
            await context.CompleteAsync();
            return;
        }
        var graph = Graph(context);
        var active = graph.Outbound(completed).Where(c => outcomes.Contains(c.SourcePort)).Distinct().ToList();
        foreach (var c in active)
            tokens.Add(new FlowToken { FromActivityId = c.Source.Id, ToActivityId = c.Target.Id, Outcome = c.SourcePort });
        foreach (var t in tokens.Where(t => t.ToActivityId == completed.Id && !t.Consumed && !t.Blocked))
            t.Consumed = true;

        foreach (var connection in active)
        {
            var target = connection.Target;
            switch (MergeModeOf(context, target))
            {
                case MergeMode.Race or MergeMode.Cascade:
                    if (MergeModeOf(context, target) == MergeMode.Race)
                        await CancelInboundAncestorsAsync(context, target);
                    var blocked = tokens.FirstOrDefault(t => t.ToActivityId == target.Id && t.FromActivityId == connection.Source.Id && t.Outcome == connection.SourcePort && t.Blocked);
                    if (blocked is null)
                    {
                        context.ScheduleActivity(target);
                        foreach (var other in graph.ForwardInbound(target).Where(c => c.Source != completed))
                            tokens.Add(new FlowToken { FromActivityId = other.Source.Id, ToActivityId = target.Id, Outcome = other.SourcePort, Blocked = true });
                    }
                    else
                    {
                        blocked.Consumed = true;
                    }
                    break;
                case MergeMode.Merge:
                    ScheduleWhenAllTokens(context, tokens, graph.ForwardInbound(target), target);
                    break;
                case MergeMode.Converge:
                    ScheduleWhenAllTokens(context, tokens, graph.Inbound(target), target);
                    break;
                default:
                    var upstreamInFlight = graph.ForwardInbound(target)
                        .Any(inbound => tokens.Any(t => !t.Consumed && !t.Blocked && t.ToActivityId == inbound.Source.Id));
                    if (!upstreamInFlight)
                        context.ScheduleActivity(target);
                    break;
            }
        }

        if (!HasRunningOrScheduledWork(context) && !tokens.Any(t => !t.Consumed && !t.Blocked) && !context.Children.Any(c => c.Status == ActivityStatus.Faulted))
        {
            tokens.Clear();
            await context.CompleteAsync();
        }
        tokens.RemoveAll(t => t.ToActivityId == completed.Id && t.Consumed);
    }

    private static void ScheduleWhenAllTokens(ActivityExecutionContext context, List<FlowToken> tokens, IReadOnlyList<Connection> inbound, ActivityNode target)
    {
        var ready = inbound.Count <= 1 || inbound.All(i => tokens.Any(t =>
            !t.Consumed && !t.Blocked && t.FromActivityId == i.Source.Id && t.ToActivityId == target.Id && t.Outcome == i.SourcePort));
        if (ready)
            context.ScheduleActivity(target);
    }

    private static MergeMode MergeModeOf(ActivityExecutionContext context, ActivityNode target)
    {
        if (target.ActivityType?.ClrType == typeof(FlowJoin))
            return JoinMode(context, target) == FlowJoinMode.WaitAny ? MergeMode.Race : MergeMode.Merge;
        var value = target.CustomProperties["mergeMode"]?.ToString();
        return value != null && Enum.TryParse<MergeMode>(value, true, out var mode) && mode != MergeMode.None ? mode : MergeMode.Stream;
    }
}
