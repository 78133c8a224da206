using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Followup.Activities.Data;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Messaging;

/// <summary>Systems told about visit status changes (a DMS). Secrets come from configuration or the environment, never the repository.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    public List<WebhookEndpoint> Endpoints { get; set; } = [];
}

public sealed class WebhookEndpoint
{
    public string Url { get; set; } = "";

    /// <summary>Shared secret of the HMAC-SHA256 signature.</summary>
    public string Secret { get; set; } = "";
}

/// <summary>
/// Visit status changes go out through the outbox like any message (channel <c>webhook</c>): written with the change,
/// retried with backoff, each delivery with its own id so the receiver can drop a repeat.
/// </summary>
public static class VisitWebhooks
{
    public const string Channel = "webhook";
    public const string StatusEvent = "visit.status";

    public static MessagePayload Payload(Visit visit, DateTime at) => new("", JsonSerializer.Serialize(new
    {
        @event = StatusEvent,
        visitId = visit.Id,
        number = visit.Number,
        status = visit.Status,
        promisedAt = visit.PromisedAt,
        technician = visit.Technician,
        at,
    }, JsonSerializerOptions.Web), StatusEvent);

    /// <summary>From a workflow step: with the step's own commit.</summary>
    public static void Enqueue(ActivityExecutionContext context, Visit visit)
    {
        foreach (var endpoint in context.GetRequiredService<IOptions<WebhookOptions>>().Value.Endpoints)
            Outbox.Enqueue(context, Channel, endpoint.Url, Payload(visit, context.Clock.GetUtcNow().UtcDateTime).ToJson(), urgent: true);
    }

    /// <summary>From a staff or API change: the rows for every endpoint, to add to the outbox.</summary>
    public static IEnumerable<OutboxRecord> Rows(WebhookOptions options, Visit visit, DateTime at) => options.Endpoints.Select(endpoint =>
        Outbox.Row($"visit:{visit.Id}:{visit.Status}:{at.Ticks}:{endpoint.Url}", Channel, endpoint.Url, Payload(visit, at), urgent: true, visit.Number, at));

    /// <summary><c>sha256=</c> and the hex HMAC-SHA256 of "timestamp.body" with the endpoint's secret.</summary>
    public static string Signature(string secret, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}

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
