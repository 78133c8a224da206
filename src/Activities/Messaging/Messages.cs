using System.Text.Json;
using PhoneNumbers;

namespace Followup.Activities.Messaging;

public static class Channels
{
    public const string Sms = "sms";
    public const string Email = "email";
}

/// <summary>What the outbox row carries: the rendered message in the language chosen for the customer.</summary>
public sealed record MessagePayload(string Language, string Text, string? Subject = null, string? Html = null, bool Transactional = true)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MessagePayload FromJson(string json) => JsonSerializer.Deserialize<MessagePayload>(json, Json)!;
}

/// <summary>A send that may work later (timeouts, 5xx, 429). <see cref="Ambiguous"/>: the provider may have accepted it.</summary>
public sealed class TransientSendException(string message, bool ambiguous, Exception? inner = null) : Exception(message, inner)
{
    public bool Ambiguous { get; } = ambiguous;
}

/// <summary>A send that will never work (invalid number, unsubscribed): recorded as failed and shown to staff.</summary>
public sealed class PermanentSendException(string message, string? code) : Exception(message)
{
    public string? Code { get; } = code;
}

public interface IMessageSender
{
    string Channel { get; }

    /// <summary>
    /// Sends; returns the provider's id. Calls <paramref name="handingOver"/> once, right before the step after which
    /// the provider may have the message (everything before it, such as connecting, can fail without a trace), so
    /// the dispatcher records the attempt as late as it can.
    /// </summary>
    Task<string> SendAsync(string messageId, string recipient, MessagePayload payload, Func<Task> handingOver, CancellationToken cancellationToken);

    /// <summary>After an attempt with an unknown outcome: the provider's id of the message if it was accepted, else null.</summary>
    Task<string?> FindSentAsync(string messageId, string recipient, MessagePayload payload, DateTime attemptStartedAt, CancellationToken cancellationToken);
}

/// <summary>Phone numbers in E.164, validated with libphonenumber.</summary>
public static class Phone
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static bool TryNormalize(string? input, string defaultRegion, out string e164)
    {
        e164 = "";
        if (string.IsNullOrWhiteSpace(input))
            return false;
        try
        {
            var number = Util.Parse(input, defaultRegion);
            if (!Util.IsValidNumber(number))
                return false;
            e164 = Util.Format(number, PhoneNumberFormat.E164);
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    public static string Normalize(string? input, string defaultRegion) =>
        TryNormalize(input, defaultRegion, out var e164) ? e164 : throw new ArgumentException($"'{input}' is not a valid phone number.");
}

/// <summary>Hands each committed message to what sends it (Hangfire in the host); the outbox sweep finds any it missed.</summary>
public interface IOutboxQueue
{
    Task EnqueueAsync(string messageId, CancellationToken cancellationToken);
}
