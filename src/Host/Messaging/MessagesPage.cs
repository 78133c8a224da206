using System.Net;
using Followup.Activities.Messaging;
using Followup.Host.Security;
using Followup.Host.Staff;
using Microsoft.AspNetCore.Identity;

using Followup.Host.Pages;

namespace Followup.Host.Messaging;

/// <summary>What the store sent to customers and what they answered, for managers, advisors and callback agents; failures stand out.</summary>
public static class MessagesPage
{
    private const string Style = """
        <style>.wide { max-width: 1200px; margin: 2rem auto; background: #fff; padding: 1.5rem; border-radius: 8px; }
        table { border-collapse: collapse; width: 100%; font-size: .9rem; } td, th { border-bottom: 1px solid #ddd; padding: .4rem; text-align: left; vertical-align: top; }
        tr.failed td { background: #fdecea; }</style>
        """;

    public static WebApplication MapMessagesPage(this WebApplication app)
    {
        app.MapGet("/messages", async (HttpContext context, OutboxStore store, ConsentStore consents, CancellationToken ct) =>
        {
            var lang = StaffText.Language(context);
            string T(string key) => WebUtility.HtmlEncode(StaffText.Get(lang, key));
            static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
            var outbox = await store.ListAsync(null, 200, ct);
            var inbound = await consents.ListInboundAsync(200, ct);
            var rows = string.Concat(outbox.Select(o =>
            {
                var payload = MessagePayload.FromJson(o.Payload);
                var failed = o.Status is OutboxStatus.Failed or OutboxStatus.Blocked;
                return $"<tr class=\"{(failed ? "failed" : "")}\"><td>{o.CreatedAt:yyyy-MM-dd HH:mm}</td><td>{E(o.Channel)}</td><td>{E(o.Recipient)}</td>" +
                       $"<td>{E(o.Status)}</td><td>{o.Attempts}</td><td>{(payload.Subject is { } subject ? $"<strong>{E(subject)}</strong><br>" : "")}{E(CustomerLinkMask.Mask(payload.Text, lang))}</td>" +
                       $"<td>{E(o.ErrorCode)} {E(o.Error)}</td></tr>";
            }));
            var replies = string.Concat(inbound.Select(m => $"<tr><td>{m.ReceivedAt:yyyy-MM-dd HH:mm}</td><td>{E(m.Channel)}</td><td>{E(m.From)}</td><td>{E(m.Body)}</td></tr>"));
            var body = $"""
                <main class="wide">
                <h1>{T("messages")}</h1>
                <h2>{T("outbox")}</h2>
                {(outbox.Count == 0 ? $"<p>{T("none")}</p>" : $"<table><thead><tr><th>{T("col.time")}</th><th>{T("col.channel")}</th><th>{T("col.to")}</th><th>{T("col.status")}</th><th>{T("col.attempts")}</th><th>{T("col.message")}</th><th>{T("col.error")}</th></tr></thead><tbody>{rows}</tbody></table>")}
                <h2>{T("inbound")}</h2>
                {(inbound.Count == 0 ? $"<p>{T("none")}</p>" : $"<table><thead><tr><th>{T("col.time")}</th><th>{T("col.channel")}</th><th>{T("col.from")}</th><th>{T("col.message")}</th></tr></thead><tbody>{replies}</tbody></table>")}
                </main>
                """;
            return StaffPages.Markup(context, StaffText.Get(lang, "messages"), body + Style);
        }).RequireStaff(Roles.Manager, Roles.Advisor, Roles.CallbackAgent);
        return app;
    }
}
