namespace Followup.Host.Api.Elsa;

// The workflow-instance shapes of the Elsa API. They only travel together.

/// <summary>A workflow instance in a list or on its own.</summary>
public sealed record InstanceSummary(string Id, string DefinitionId, string DefinitionVersionId, int Version, string? CorrelationId, string? Name, string Status,
    string SubStatus, int IncidentCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt);

/// <summary>A page of instances.</summary>
public sealed record InstancePage(IReadOnlyList<InstanceSummary> Items, int TotalCount, int Page, int PageSize);

/// <summary>An instance with its incidents.</summary>
public sealed record InstanceDetail(InstanceSummary Instance, IReadOnlyList<IncidentView> Incidents);

/// <summary>An activity's fault recorded on an instance; resolved when the instance was retried past it.</summary>
public sealed record IncidentView(string ActivityId, string ActivityType, string Message, DateTimeOffset Timestamp, DateTimeOffset? ResolvedAt);

/// <summary>An entry of an instance's journal: which activity did what, when.</summary>
public sealed record JournalEntryView(long Sequence, DateTimeOffset Timestamp, string? ActivityId, string? ActivityNodeId, string? ActivityType, string? ActivityName,
    string EventName, string? Message);

/// <summary>An instance's journal.</summary>
public sealed record JournalPage(IReadOnlyList<JournalEntryView> Items, int TotalCount);

/// <summary>What starting a workflow answers: the state it reached in its first burst.</summary>
public sealed record ExecuteResponse(WorkflowStateView WorkflowState);

/// <summary>An instance's state after a run: status, output, incidents.</summary>
public sealed record WorkflowStateView(string Id, string DefinitionId, string DefinitionVersionId, int DefinitionVersion, string? CorrelationId, string Status,
    string SubStatus, IReadOnlyDictionary<string, object?> Output, IReadOnlyList<IncidentView> Incidents);
