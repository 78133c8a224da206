using System.Text.Json;

namespace Followup.Activities.Messaging;

/// <summary>What the outbox row carries: the rendered message in the language chosen for the customer.</summary>
public sealed record MessagePayload(string Language, string Text, string? Subject = null, string? Html = null, bool Transactional = true)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MessagePayload FromJson(string json) => JsonSerializer.Deserialize<MessagePayload>(json, Json)!;
}
