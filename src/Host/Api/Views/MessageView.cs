using Followup.Activities.Messaging;
using Followup.Host.Security;

namespace Followup.Host.Api.Views;

/// <summary>A message in the outbox as staff may read it: the customers' links in it are masked (they act as the customer).</summary>
public sealed record MessageView(string Id, string Channel, string Recipient, string Status, int Attempts, bool Urgent, string? ProviderId, string? Error,
    string? ErrorCode, string? CorrelationId, DateTime CreatedAt, DateTime UpdatedAt, MessagePayload? Payload)
{
    public static MessageView From(OutboxRecord m) => new(m.Id, m.Channel, m.Recipient, m.Status, m.Attempts, m.Urgent, m.ProviderId, m.Error, m.ErrorCode,
        m.CorrelationId, m.CreatedAt, m.UpdatedAt,
        MessagePayload.FromJson(m.Payload) is { } p ? p with
        {
            Text = CustomerLinkMask.Mask(p.Text, "en"),
            Html = p.Html is null ? null : CustomerLinkMask.Mask(p.Html, "en"),
            Parameters = p.Parameters?.ToDictionary(v => v.Key, v => CustomerLinkMask.Mask(v.Value, "en")),
        } : null);
}
