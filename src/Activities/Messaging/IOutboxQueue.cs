using PhoneNumbers;

namespace Followup.Activities.Messaging;

/// <summary>Hands each committed message to what sends it (the host's own senders); the outbox sweep finds any it missed.</summary>
public interface IOutboxQueue
{
    Task EnqueueAsync(string messageId, CancellationToken cancellationToken);
}
