using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Followup.Workflows.Definitions;

namespace Followup.Workflows.Runtime;

public enum WorkflowStatus
{
    Running,
    Finished,
}

public enum WorkflowSubStatus
{
    Pending,
    Executing,
    Suspended,
    Finished,
    Cancelled,
    Faulted,
}

public enum ActivityStatus
{
    Pending,
    Running,
    Completed,
    Canceled,
    Faulted,
}

public enum FlowchartExecutionMode
{
    CounterBased,
    TokenBased,
}

/// <summary>A point where an instance waits: for an event, a person, a customer or a timer.</summary>
public sealed record Bookmark
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Hash { get; init; }
    public JsonNode? Payload { get; init; }
    public required string ActivityId { get; init; }
    public required string ActivityNodeId { get; init; }
    public required string ActivityInstanceId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public bool AutoBurn { get; init; } = true;

    /// <summary>When set, a timer: the scheduler resumes the bookmark at this time.</summary>
    public DateTimeOffset? DueAt { get; init; }
}

public sealed record Incident
{
    public required string Id { get; init; }
    public required string ActivityId { get; init; }
    public required string ActivityNodeId { get; init; }
    public required string ActivityInstanceId { get; init; }
    public required string ActivityType { get; init; }
    public required string Message { get; init; }
    public string? ExceptionType { get; init; }
    public string? StackTrace { get; init; }
    public DateTimeOffset Timestamp { get; init; }
}

public sealed record JournalEntry
{
    public long Sequence { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    public string? ActivityInstanceId { get; init; }
    public string? ActivityId { get; init; }
    public string? ActivityNodeId { get; init; }
    public string? ActivityType { get; init; }
    public string? ActivityName { get; init; }
    public required string EventName { get; init; }
    public string? Message { get; init; }
    public JsonNode? Payload { get; init; }
}

/// <summary>An item of the scheduler queue: run an activity, or re-enter an existing execution (resume).</summary>
internal sealed class WorkItem
{
    public required ActivityNode Node { get; init; }
    public ActivityExecutionContext? Owner { get; init; }
    public ActivityExecutionContext? Existing { get; init; }
    public IDictionary<string, object?>? Input { get; init; }
    public Bookmark? Bookmark { get; init; }
}

/// <summary>Stimulus hashing: the index key a bookmark or trigger is found by (SHA-256 over name and payload).</summary>
public static class StimulusHash
{
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        IncludeFields = true,
    };

    public static string Compute(string name, object? payload, string? activityInstanceId = null)
    {
        var parts = new List<string> { name };
        var serialized = payload switch
        {
            null => null,
            string s => s,
            JsonNode n => n.ToJsonString(),
            _ => JsonSerializer.Serialize(payload, payload.GetType(), Options),
        };
        if (!string.IsNullOrEmpty(serialized))
            parts.Add(serialized);
        if (!string.IsNullOrEmpty(activityInstanceId))
            parts.Add(activityInstanceId);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", parts)));
        return Convert.ToHexString(bytes);
    }

    public static JsonNode? ToPayloadNode(object? payload) =>
        payload is null ? null : payload as JsonNode ?? JsonSerializer.SerializeToNode(payload, payload.GetType(), Options);
}
