using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Followup.Workflows.Persistence;

/// <summary>
/// A burst's journal entries as the JSON of one <see cref="JournalBurstRecord"/>, written small because every burst
/// writes one: <c>{"at": time, "e": [entry, …]}</c>, each entry an object with one-letter names, absent values left
/// out and what the row already says implied:
/// <list type="bullet">
/// <item><c>e</c> event, <c>x</c> execution (activity instance), <c>n</c> node, <c>t</c> type, <c>d</c> display name, <c>m</c> message;</item>
/// <item><c>a</c> activity id, only when it is not the node id's last segment;</item>
/// <item><c>at</c> time, only when it is not the burst's; <c>s</c> sequence, only when it does not follow the entry before
/// (the first follows the row's first sequence).</item>
/// </list>
/// Rows kept by the earlier format, a JSON array of objects with long names, read the same.
/// </summary>
public static class JournalEntries
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The row of the entries one burst of <paramref name="instanceId"/> wrote.</summary>
    public static JournalBurstRecord Pack(string instanceId, IReadOnlyList<JournalRecord> entries)
    {
        var ordered = entries.OrderBy(e => e.Sequence).ToList();
        var at = ordered[0].Timestamp;
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("at", Utc(at));
            json.WriteStartArray("e");
            var sequence = ordered[0].Sequence;
            foreach (var entry in ordered)
            {
                json.WriteStartObject();
                json.WriteString("e", entry.EventName);
                WriteIfAny(json, "x", entry.ActivityInstanceId);
                WriteIfAny(json, "n", entry.ActivityNodeId);
                if (entry.ActivityId != LastSegment(entry.ActivityNodeId))
                    WriteIfAny(json, "a", entry.ActivityId);
                WriteIfAny(json, "t", entry.ActivityType);
                WriteIfAny(json, "d", entry.ActivityName);
                WriteIfAny(json, "m", entry.Message);
                if (entry.Timestamp != at)
                    json.WriteString("at", Utc(entry.Timestamp));
                if (entry.Sequence != sequence)
                    json.WriteNumber("s", entry.Sequence);
                sequence = entry.Sequence + 1;
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return new JournalBurstRecord
        {
            InstanceId = instanceId,
            FirstSequence = ordered[0].Sequence,
            LastSequence = ordered[^1].Sequence,
            Entries = new Utf8Json(buffer.WrittenSpan.ToArray()),
        };
    }

    public static IEnumerable<JournalRecord> Unpack(JournalBurstRecord row)
    {
        using var document = JsonDocument.Parse(row.Entries.Memory);
        if (document.RootElement.ValueKind == JsonValueKind.Array)
            return UnpackEarlierFormat(row, document.RootElement);
        var at = Time(document.RootElement.GetProperty("at"));
        var items = document.RootElement.GetProperty("e");
        var entries = new List<JournalRecord>(items.GetArrayLength());
        var sequence = row.FirstSequence;
        foreach (var entry in items.EnumerateArray())
        {
            sequence = entry.TryGetProperty("s", out var s) ? s.GetInt64() : sequence;
            var node = Read(entry, "n");
            entries.Add(new JournalRecord
            {
                InstanceId = row.InstanceId,
                Sequence = sequence++,
                Timestamp = entry.TryGetProperty("at", out var time) ? Time(time) : at,
                ActivityInstanceId = Read(entry, "x"),
                ActivityId = Read(entry, "a") ?? LastSegment(node),
                ActivityNodeId = node,
                ActivityType = Read(entry, "t"),
                ActivityName = Read(entry, "d"),
                EventName = Read(entry, "e") ?? "",
                Message = Read(entry, "m"),
            });
        }
        return entries;
    }

    private static List<JournalRecord> UnpackEarlierFormat(JournalBurstRecord row, JsonElement items)
    {
        var entries = new List<JournalRecord>(items.GetArrayLength());
        foreach (var entry in items.EnumerateArray())
        {
            entries.Add(new JournalRecord
            {
                InstanceId = row.InstanceId,
                Sequence = entry.GetProperty("seq").GetInt64(),
                Timestamp = Time(entry.GetProperty("at")),
                ActivityInstanceId = Read(entry, "execution"),
                ActivityId = Read(entry, "activity"),
                ActivityNodeId = Read(entry, "node"),
                ActivityType = Read(entry, "type"),
                ActivityName = Read(entry, "name"),
                EventName = Read(entry, "event") ?? "",
                Message = Read(entry, "message"),
            });
        }
        return entries;
    }

    /// <summary>The activity id a node id ends with ("Workflow1:flow:call" ends with "call").</summary>
    private static string? LastSegment(string? nodeId) => nodeId?[(nodeId.LastIndexOf(':') + 1)..];

    private static DateTime Utc(DateTime stored) => DateTime.SpecifyKind(stored, DateTimeKind.Utc);

    private static DateTime Time(JsonElement value) =>
        DateTime.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static void WriteIfAny(Utf8JsonWriter json, string name, string? value)
    {
        if (value != null)
            json.WriteString(name, value);
    }

    private static string? Read(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
