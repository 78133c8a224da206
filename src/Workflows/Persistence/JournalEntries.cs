using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Followup.Workflows.Persistence;

/// <summary>
/// A burst's journal entries as the JSON array of a <see cref="JournalBurstRecord"/>: one object per entry with short
/// names ("seq", "at", "execution", "activity", "node", "type", "name", "event", "message"), absent values left out.
/// </summary>
public static class JournalEntries
{
    /// <summary>The row of the entries one burst of <paramref name="instanceId"/> wrote, in sequence order.</summary>
    public static JournalBurstRecord Pack(string instanceId, IReadOnlyList<JournalRecord> entries)
    {
        var ordered = entries.OrderBy(e => e.Sequence).ToList();
        var buffer = new ArrayBufferWriter<byte>(256 * ordered.Count);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var entry in ordered)
            {
                json.WriteStartObject();
                json.WriteNumber("seq", entry.Sequence);
                json.WriteString("at", DateTime.SpecifyKind(entry.Timestamp, DateTimeKind.Utc));
                WriteIfAny(json, "execution", entry.ActivityInstanceId);
                WriteIfAny(json, "activity", entry.ActivityId);
                WriteIfAny(json, "node", entry.ActivityNodeId);
                WriteIfAny(json, "type", entry.ActivityType);
                WriteIfAny(json, "name", entry.ActivityName);
                json.WriteString("event", entry.EventName);
                WriteIfAny(json, "message", entry.Message);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return new JournalBurstRecord
        {
            InstanceId = instanceId,
            FirstSequence = ordered[0].Sequence,
            LastSequence = ordered[^1].Sequence,
            Entries = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan),
        };
    }

    public static IEnumerable<JournalRecord> Unpack(JournalBurstRecord row)
    {
        using var document = JsonDocument.Parse(row.Entries);
        var entries = new List<JournalRecord>(document.RootElement.GetArrayLength());
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            entries.Add(new JournalRecord
            {
                InstanceId = row.InstanceId,
                Sequence = entry.GetProperty("seq").GetInt64(),
                Timestamp = DateTime.Parse(entry.GetProperty("at").GetString()!, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
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

    private static void WriteIfAny(Utf8JsonWriter json, string name, string? value)
    {
        if (value != null)
            json.WriteString(name, value);
    }

    private static string? Read(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
