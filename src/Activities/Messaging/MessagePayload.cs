using System.Text.Json;

namespace Followup.Activities.Messaging;

/// <summary>
/// What the outbox row carries: the rendered message in the language chosen for the customer. An SMS also names its
/// <see cref="Template"/> (a <see cref="SmsTemplates"/> kind) with the values of its parameters, which is what a
/// mainland provider sends, and the address its text goes to by email when no SMS can reach the customer.
/// </summary>
public sealed record MessagePayload(string Language, string Text, string? Subject = null, string? Html = null, bool Transactional = true)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string? Template { get; init; }

    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    public string? FallbackEmail { get; init; }

    /// <summary>The same message as the kind of SMS <paramref name="template"/> with these values.</summary>
    public MessagePayload As(string template, IReadOnlyDictionary<string, string> parameters) => this with { Template = template, Parameters = parameters };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MessagePayload FromJson(string json) => JsonSerializer.Deserialize<MessagePayload>(json, Json)!;
}
