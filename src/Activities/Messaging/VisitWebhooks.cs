using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Followup.Activities.Data;
using Followup.Workflows.Runtime;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Messaging;

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
