using PhoneNumbers;

namespace Followup.Activities.Messaging;

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
