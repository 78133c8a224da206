using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Followup.Activities.Messaging;

/// <summary>Without credentials (a fresh machine): messages stay in the local outbox, marked delivered, readable by staff.</summary>
public sealed class LocalOutboxSender(string channel) : IMessageSender
{
    public string Channel { get; } = channel;

    public async Task<string> SendAsync(string messageId, string recipient, MessagePayload payload, Func<Task> handingOver, CancellationToken cancellationToken)
    {
        await handingOver();
        return $"local-{messageId}";
    }

    public Task<string?> FindSentAsync(string messageId, string recipient, MessagePayload payload, DateTime attemptStartedAt, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);
}
