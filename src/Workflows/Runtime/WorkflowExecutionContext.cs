using Followup.Workflows.Definitions;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Workflows.Runtime;

/// <summary>One instance while it runs one burst: its graph, scheduler, contexts, bookmarks and journal.</summary>
public sealed class WorkflowExecutionContext
{
    internal WorkflowExecutionContext(WorkflowGraph graph, string instanceId, WorkflowRunner runner, IServiceProvider services, CancellationToken cancellationToken)
    {
        Graph = graph;
        InstanceId = instanceId;
        Runner = runner;
        Services = services;
        CancellationToken = cancellationToken;
    }

    public WorkflowGraph Graph { get; }
    public WorkflowDefinition Definition => Graph.Definition;
    public string InstanceId { get; }
    public string? CorrelationId { get; set; }
    public string? Name { get; set; }
    public string? ParentInstanceId { get; init; }
    public WorkflowStatus Status { get; internal set; } = WorkflowStatus.Running;
    public WorkflowSubStatus SubStatus { get; internal set; } = WorkflowSubStatus.Pending;
    public DateTimeOffset CreatedAt { get; internal set; }
    public DateTimeOffset? FinishedAt { get; internal set; }

    public Dictionary<string, object?> Input { get; internal set; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, object?> Output => RootContext?.Scope?.Outputs ?? [];
    public Dictionary<string, object?> Properties { get; internal set; } = new(StringComparer.Ordinal);

    public List<Bookmark> Bookmarks { get; } = [];
    public List<Incident> Incidents { get; } = [];
    internal HashSet<string>? LoadedIncidentIds { get; set; }

    /// <summary>Journal entries written during this burst (appended to the store at commit).</summary>
    public List<JournalEntry> Journal { get; } = [];

    /// <summary>Rows of modules' tables (a completed task, a message to send) written with this burst's state; see <see cref="BurstRecords"/>.</summary>
    public Persistence.BurstRecords Records { get; } = new();

    /// <summary>The burst's database transaction, once a step asked for it (<see cref="TransactionAsync"/>).</summary>
    public Persistence.Sql.BurstTransaction? Transaction { get; internal set; }

    /// <summary>
    /// Whether a step may prepare its write for the commit (<see cref="Persistence.BurstRecords.Prepare"/>) rather than
    /// open the burst's transaction: in a resumed burst, unless the last try's prepared write was refused (the steps then
    /// write as they go, so the one that fails faults where it can be seen).
    /// </summary>
    public bool MayPrepareWrites { get; internal set; }

    /// <summary>Whether this burst commits <see cref="Transaction"/>: not when it runs inline inside its parent's step.</summary>
    internal bool OwnsTransaction { get; set; }

    /// <summary>The parent whose step runs this instance inline (ExecuteWorkflow); it commits the shared transaction.</summary>
    internal WorkflowExecutionContext? InlineParent { get; set; }

    /// <summary>
    /// The transaction this burst commits its state in, begun on first use: steps read and write other tables of the
    /// workflow database in it, so they see their own writes and commit with the state or not at all. A write prepared
    /// earlier in the burst (<see cref="Persistence.BurstRecords.Prepare"/>) is made in it first, so what follows sees it.
    /// </summary>
    public async Task<Persistence.Sql.BurstTransaction> TransactionAsync()
    {
        if (Transaction is null)
        {
            Transaction = await Persistence.Sql.BurstTransaction.BeginAsync(Services.GetRequiredService<Persistence.WorkflowDatabase>(), CancellationToken);
            OwnsTransaction = true;
        }
        if (Records.TakePrepared() is { } prepared)
        {
            await using (prepared)
                await Persistence.PreparedWriteException.MakeAsync(prepared, Transaction.Connection, Transaction.Transaction, CancellationToken);
        }
        return Transaction;
    }

    internal async Task EndTransactionAsync()
    {
        if (Records.TakePrepared() is { } prepared)
            await prepared.DisposeAsync();
        if (Transaction != null && OwnsTransaction)
            await Transaction.DisposeAsync();
        Transaction = null;
    }
    internal long JournalSequence { get; set; }

    /// <summary>The activity that started this instance as a trigger (Event, Timer, Cron...).</summary>
    public string? TriggerActivityId { get; internal set; }
    internal bool IsFirstBurst { get; set; }

    /// <summary>An activity faulted in this burst: the instance ends Faulted once the work already scheduled has run.</summary>
    internal bool FaultPending { get; set; }

    internal ActivityExecutionContext? RootContext { get; set; }
    internal List<ActivityExecutionContext> Contexts { get; } = [];
    internal LinkedList<WorkItem> Scheduler { get; } = new();
    internal WorkflowRunner Runner { get; }
    internal List<Func<IServiceProvider, CancellationToken, Task>> AfterCommit { get; } = [];

    /// <summary>Last outputs per activity id, and activity names to ids: what JavaScript reads with getOutputFrom().</summary>
    internal Dictionary<string, Dictionary<string, object?>> ActivityOutputs { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, string> ActivityNames { get; } = new(StringComparer.Ordinal);
    internal object? LastResult { get; set; }

    public IServiceProvider Services { get; }
    public TimeProvider Clock => Runner.Clock;
    public CancellationToken CancellationToken { get; }

    /// <summary>The instance's property, else the definition's custom property, else the host default.</summary>
    public FlowchartExecutionMode FlowchartMode =>
        ParseMode(Properties.GetValueOrDefault(WorkflowProperties.FlowchartExecutionMode)?.ToString())
        ?? ParseMode(Definition.CustomProperties[WorkflowProperties.FlowchartExecutionMode]?.ToString())
        ?? Runner.DefaultFlowchartMode;

    private static FlowchartExecutionMode? ParseMode(string? value) =>
        value != null && Enum.TryParse<FlowchartExecutionMode>(value, true, out var mode) ? mode : null;

    public bool ContinueWithIncidents => Definition.Options.ContinueWithIncidents;

    public string NewId() => Runner.Ids.NewId();

    internal void Enqueue(WorkItem item) => Scheduler.AddLast(item);

    internal bool HasScheduledWorkFor(Func<WorkItem, bool> predicate) => Scheduler.Any(predicate);

    internal void RecordOutput(ActivityExecutionContext context, string name, object? value)
    {
        if (!ActivityOutputs.TryGetValue(context.Node.Id, out var outputs))
            ActivityOutputs[context.Node.Id] = outputs = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        outputs[name] = value;
        if (context.Node.Name is { } activityName)
            ActivityNames[activityName] = context.Node.Id;
        LastResult = value;
    }

    public void AddJournal(ActivityExecutionContext? context, string eventName, string? message = null)
    {
        Journal.Add(new JournalEntry
        {
            Sequence = ++JournalSequence,
            Timestamp = Clock.GetUtcNow(),
            ActivityInstanceId = context?.Id,
            ActivityId = context?.Node.Id,
            ActivityNodeId = context?.Node.NodeId,
            ActivityType = context?.Node.Type,
            ActivityName = context?.Node.Name,
            EventName = eventName,
            Message = message,
        });
    }

    public ActivityExecutionContext? FindContext(string id) => Contexts.FirstOrDefault(c => c.Id == id);

    internal IEnumerable<ActivityExecutionContext> ChildrenOf(ActivityExecutionContext parent) => parent.Children;
}

public static class WorkflowProperties
{
    public const string FlowchartExecutionMode = "Flowchart:ExecutionMode";
    public const string ParentInstanceId = "ParentInstanceId";
}
