using System.Globalization;
using System.Net;
using System.Text;
using Followup.Activities.Data;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Messaging;

/// <summary>Posts a webhook, signed; 2xx is delivered, 429/5xx/no answer is retried, another 4xx fails and stays visible.</summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider clock) : IMessageSender
{
    public const string HttpClientName = "webhooks";

    public string Channel => VisitWebhooks.Channel;

    public async Task<string> SendAsync(string messageId, string recipient, MessagePayload payload, Func<Task> handingOver, CancellationToken cancellationToken)
    {
        var endpoint = options.Value.Endpoints.FirstOrDefault(e => e.Url == recipient)
            ?? throw new PermanentSendException("The webhook endpoint is no longer configured.", "unconfigured");
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, recipient) { Content = new StringContent(payload.Text, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Followup-Event", payload.Subject ?? VisitWebhooks.StatusEvent);
        request.Headers.Add("X-Followup-Delivery", messageId);
        request.Headers.Add("X-Followup-Timestamp", timestamp);
        request.Headers.Add("X-Followup-Signature", VisitWebhooks.Signature(endpoint.Secret, timestamp, payload.Text));
        HttpResponseMessage response;
        await handingOver();
        try
        {
            response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new TransientSendException("No answer from the webhook endpoint", ambiguous: true, ex);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
                return messageId;
            if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
                throw new TransientSendException($"The webhook endpoint answered {status}", ambiguous: false);
            throw new PermanentSendException($"The webhook endpoint refused the delivery ({status})", status.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Unknown: receivers drop a repeated delivery id, so a send that may have arrived is sent again.</summary>
    public Task<string?> FindSentAsync(string messageId, string recipient, MessagePayload payload, DateTime attemptStartedAt, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);
}
