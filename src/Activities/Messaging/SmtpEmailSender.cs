using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Followup.Activities.Messaging;

/// <summary>
/// Email over SMTP with MailKit: text and HTML parts, List-Unsubscribe on non-transactional mail, and one Message-ID
/// per outbox message, the same on every attempt, so a receiving system can tell a repeat. The connection and the
/// sign-in come before the attempt is recorded; the message is reported accepted as soon as the server says so,
/// before the connection is closed.
/// </summary>
public sealed class SmtpEmailSender(IOptions<SmtpOptions> smtp, IOptions<MessagingOptions> messaging) : IMessageSender
{
    public string Channel => Channels.Email;

    public static string MessageIdFor(string messageId) => $"{messageId}@followup";

    public async Task<string> SendAsync(string messageId, string recipient, MessagePayload payload, Func<Task> handingOver, CancellationToken cancellationToken)
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
        var client = new SmtpClient();
        var handedOver = false;
        try
        {
            // Nothing can have been sent until the message's data goes out: a failure up to here is never ambiguous.
            try
            {
                await client.ConnectAsync(settings.Host!, settings.Port, Enum.Parse<SecureSocketOptions>(settings.Security, ignoreCase: true), cancellationToken);
                if (!string.IsNullOrEmpty(settings.UserName))
                    await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                throw new TransientSendException($"The mail server could not be reached: {ex.Message}", ambiguous: false, ex);
            }
            await handingOver();
            handedOver = true;
            await client.SendAsync(message, cancellationToken);
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            client.Dispose();
            throw new PermanentSendException($"The mail server refused the message: {ex.Message}", ((int)ex.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (IsTransient(ex))
        {
            client.Dispose();
            // Refused with a 4xx answer: not taken. Anything else once the data went out: it may have been.
            throw new TransientSendException($"The mail server did not take the message: {ex.Message}", ambiguous: handedOver && ex is not SmtpCommandException, ex);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        // Accepted: the caller records it now; saying goodbye to the server can wait.
        _ = QuitAsync(client);
        return message.MessageId;
    }

    private static bool IsTransient(Exception ex) =>
        ex is SmtpCommandException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException;

    private static async Task QuitAsync(SmtpClient client)
    {
        using (client)
        {
            try
            {
                await client.DisconnectAsync(true, CancellationToken.None);
            }
            catch (Exception ex) when (IsTransient(ex) || ex is ObjectDisposedException)
            {
                // The message was accepted before; a lost goodbye changes nothing.
            }
        }
    }

    /// <summary>SMTP cannot be asked; a resend carries the same Message-ID, so mail systems can drop the duplicate.</summary>
    public Task<string?> FindSentAsync(string messageId, string recipient, MessagePayload payload, DateTime attemptStartedAt, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);
}
