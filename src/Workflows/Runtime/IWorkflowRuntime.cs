namespace Followup.Workflows.Runtime;

/// <summary>Starts and resumes durable workflow instances: every burst is committed before the call returns.</summary>
public interface IWorkflowRuntime
{
    Task<WorkflowRunResult> StartAsync(StartWorkflowRequest request, CancellationToken cancellationToken);

    /// <summary>Resumes one bookmark. An already consumed bookmark changes nothing and says so.</summary>
    Task<ResumeResult> ResumeAsync(string instanceId, string bookmarkId, IReadOnlyDictionary<string, object?>? input, CancellationToken cancellationToken);

    /// <summary>Sends a stimulus (name + payload): resumes matching bookmarks (by index) and starts published workflows whose trigger matches.</summary>
    Task<IReadOnlyList<WorkflowRunResult>> TriggerAsync(string name, object? payload, TriggerOptions options, CancellationToken cancellationToken);

    Task<IReadOnlyList<WorkflowRunResult>> PublishEventAsync(string eventName, object? payload, string? correlationId, string? instanceId, CancellationToken cancellationToken);

    /// <summary>Re-runs the faulted activities of a faulted instance.</summary>
    Task<WorkflowRunResult?> RetryAsync(string instanceId, CancellationToken cancellationToken);

    Task<WorkflowRunResult?> CancelAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>The instance as stored now (status, outputs, variables, bookmarks), without running it; null when unknown.</summary>
    Task<WorkflowRunResult?> FindAsync(string instanceId, CancellationToken cancellationToken);
}

public sealed record StartWorkflowRequest
{
    public string? DefinitionId { get; init; }

    /// <summary>A specific version; otherwise the published version (or the latest when <see cref="AllowDraft"/>).</summary>
    public string? DefinitionVersionId { get; init; }

    public bool AllowDraft { get; init; }
    public string? InstanceId { get; init; }
    public string? CorrelationId { get; init; }
    public string? ParentInstanceId { get; init; }
    public string? TriggerActivityId { get; init; }
    public IReadOnlyDictionary<string, object?>? Input { get; init; }
    public IReadOnlyDictionary<string, object?>? Properties { get; init; }

    /// <summary>The parent whose step runs this instance inline; the child commits in the parent's open transaction.</summary>
    internal WorkflowExecutionContext? InlineParent { get; init; }
}

public sealed record TriggerOptions
{
    public string? CorrelationId { get; init; }
    public string? InstanceId { get; init; }
    public IReadOnlyDictionary<string, object?>? Input { get; init; }

    /// <summary>Also start published workflows whose trigger matches (not when aimed at one instance).</summary>
    public bool StartNew { get; init; } = true;
}

public sealed record WorkflowRunResult
{
    public required string InstanceId { get; init; }
    public required string DefinitionId { get; init; }
    public required string DefinitionVersionId { get; init; }
    public WorkflowStatus Status { get; init; }
    public WorkflowSubStatus SubStatus { get; init; }
    public string? CorrelationId { get; init; }
    public IReadOnlyDictionary<string, object?> Output { get; init; } = new Dictionary<string, object?>();
    public IReadOnlyDictionary<string, object?> Variables { get; init; } = new Dictionary<string, object?>();
    public IReadOnlyList<Bookmark> Bookmarks { get; init; } = [];
    public IReadOnlyList<Incident> Incidents { get; init; } = [];
}

public enum ResumeOutcome
{
    Resumed,
    BookmarkNotFound,
    InstanceNotFound,
}

public sealed record ResumeResult(ResumeOutcome Outcome, WorkflowRunResult? Run)
{
    public string Message => Outcome switch
    {
        ResumeOutcome.Resumed => "resumed",
        ResumeOutcome.BookmarkNotFound => "the bookmark was already resumed or never existed; nothing was done",
        _ => "the workflow instance does not exist",
    };
}

public sealed class WorkflowNotFoundException(string what) : Exception($"No published workflow {what}.");
