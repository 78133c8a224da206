using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Followup.Activities.Messaging;

/// <summary>Email over SMTP with MailKit: text and HTML parts, a Message-ID derived from the outbox id, List-Unsubscribe on non-transactional mail.</summary>
public sealed class SmtpEmailSender(IOptions<SmtpOptions> smtp, IOptions<MessagingOptions> messaging) : IMessageSender
{
    public string Channel => Channels.Email;

    public static string MessageIdFor(string messageId) => $"{messageId}@followup";

    public async Task<string> SendAsync(string messageId, string recipient, MessagePayload payload, CancellationToken cancellationToken)
    {
        var settings = smtp.Value;
        var message = new MimeMessage { Subject = payload.Subject ?? "", MessageId = MessageIdFor(messageId) };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(recipient));
        message.Headers.Add("Content-Language", payload.Language);
        if (!payload.Transactional)
        {
            message.Headers.Add("List-Unsubscribe", $"<{messaging.Value.UnsubscribeUrl}?m={Uri.EscapeDataString(messageId)}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        message.Body = new BodyBuilder { TextBody = payload.Text, HtmlBody = payload.Html }.ToMessageBody();
        try
        {
            using var client = new SmtpClient();
            await client.ConnectAsync(settings.Host!, settings.Port, Enum.Parse<SecureSocketOptions>(settings.Security, ignoreCase: true), cancellationToken);
            if (!string.IsNullOrEmpty(settings.UserName))
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            return message.MessageId;
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            throw new PermanentSendException($"The mail server refused the message: {ex.Message}", ((int)ex.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new TransientSendException($"The mail server did not take the message: {ex.Message}", ambiguous: ex is SmtpProtocolException or IOException, ex);
        }
    }

    /// <summary>SMTP cannot be asked; a resend carries the same Message-ID, so mail systems drop the duplicate.</summary>
    public Task<string?> FindSentAsync(string messageId, string recipient, MessagePayload payload, DateTime attemptStartedAt, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);
}

/// <summary>Without credentials (a fresh machine): messages stay in the local outbox, marked delivered, readable by staff.</summary>
public sealed class LocalOutboxSender(string channel) : IMessageSender
{
    public string Channel { get; } = channel;

    public Task<string> SendAsync(string messageId, string recipient, MessagePayload payload, CancellationToken cancellationToken) =>
        Task.FromResult($"local-{messageId}");

    public Task<string?> FindSentAsync(string messageId, string recipient, MessagePayload payload, DateTime attemptStartedAt, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);
}
