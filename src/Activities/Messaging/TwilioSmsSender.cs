using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Followup.Activities.Messaging;

/// <summary>SMS through Twilio's REST API with the client from DI (never the static one); status callbacks come back to /twilio/status.</summary>
public sealed class TwilioSmsSender(ITwilioRestClient client, IOptions<TwilioOptions> twilio, IOptions<MessagingOptions> messaging) : IMessageSender
{
    public string Channel => Channels.Sms;

    public async Task<string> SendAsync(string messageId, string recipient, MessagePayload payload, Func<Task> handingOver, CancellationToken cancellationToken)
    {
        var options = new CreateMessageOptions(new PhoneNumber(recipient))
        {
            From = new PhoneNumber(twilio.Value.From),
            Body = payload.Text,
            StatusCallback = new Uri($"{messaging.Value.PublicBaseUrl.TrimEnd('/')}/twilio/status"),
        };
        await handingOver();
        try
        {
            var message = await MessageResource.CreateAsync(options, client);
            return message.Sid;
        }
        // Status 0: an error answer whose body is not Twilio's error JSON (a proxy's 502 page): the SDK keeps no status.
        catch (ApiException ex) when (ex.Status == 429 || ex.Status >= 500 || ex.Status == 0)
        {
            throw new TransientSendException($"Twilio answered {ex.Status} ({ex.Code})", ambiguous: false, ex);
        }
        catch (ApiException ex)
        {
            throw new PermanentSendException($"Twilio refused the message: {ex.Message}", ex.Code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ApiConnectionException)
        {
            throw new TransientSendException("No answer from Twilio", ambiguous: true, ex);
        }
    }

    public async Task<string?> FindSentAsync(string messageId, string recipient, MessagePayload payload, DateTime attemptStartedAt, CancellationToken cancellationToken)
    {
        try
        {
            var sent = await MessageResource.ReadAsync(new ReadMessageOptions
            {
                To = new PhoneNumber(recipient),
                From = new PhoneNumber(twilio.Value.From),
                DateSentAfter = attemptStartedAt.AddMinutes(-1),
                Limit = 50,
            }, client);
            return sent.FirstOrDefault(m => m.Body == payload.Text)?.Sid;
        }
        catch (Exception ex) when (ex is ApiException or ApiConnectionException or HttpRequestException or TaskCanceledException)
        {
            throw new TransientSendException("Twilio could not be asked whether an earlier attempt went out", ambiguous: true, ex);
        }
    }
}
