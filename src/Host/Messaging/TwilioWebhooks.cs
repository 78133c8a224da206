using System.Security;
using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Activities.Service;
using Followup.Host.Api;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace Followup.Host.Messaging;

/// <summary>
/// Twilio's webhooks. Each request must carry a valid <c>X-Twilio-Signature</c> for the public URL Twilio called
/// (403 otherwise, and nothing changes). Duplicates are harmless. Inbound STOP/START/HELP (and 退订/TD/订阅/帮助, as people write them) change
/// consent and are answered; other replies go to a waiting workflow (event <c>SmsReceived</c>, correlated by the
/// customer's number) and are kept for the inbox.
/// </summary>
public static class TwilioWebhooks
{
    public static WebApplication MapTwilioWebhooks(this WebApplication app)
    {
        app.MapPost("/twilio/status", StatusAsync).DisableAntiforgery();
        app.MapPost("/twilio/inbound", InboundAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> StatusAsync(HttpRequest request, OutboxStore store, TimeProvider clock, IOptions<TwilioOptions> twilio, IOptions<MessagingOptions> messaging, CancellationToken cancellationToken)
    {
        if (await ValidatedFormAsync(request, twilio.Value, messaging.Value) is not { } form)
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        var sid = form.GetValueOrDefault("MessageSid");
        var status = form.GetValueOrDefault("MessageStatus");
        if (sid is null || status is null || await store.FindByProviderIdAsync(sid, cancellationToken) is not { } row)
            return Results.Ok();
        var mapped = status switch
        {
            "delivered" => OutboxStatus.Delivered,
            "undelivered" or "failed" => OutboxStatus.Failed,
            _ => null,
        };
        var detail = $"provider: {status}" + (form.GetValueOrDefault("ErrorCode") is { Length: > 0 } code ? $" ({code})" : "");
        if (row.History.Contains($"\"detail\":\"{detail}\"", StringComparison.Ordinal))
            return Results.Ok();
        if (mapped == OutboxStatus.Failed)
            row.ErrorCode = form.GetValueOrDefault("ErrorCode");
        var newStatus = mapped is null || row.Status == OutboxStatus.Delivered ? row.Status : mapped;
        row.Status = newStatus;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        row.History = OutboxDispatcher.AppendHistory(row.History, newStatus, clock.GetUtcNow(), detail);
        await store.SaveAsync(row, cancellationToken);
        return Results.Ok();
    }

    private static async Task<IResult> InboundAsync(HttpRequest request, ConsentStore store, IWorkflowRuntime runtime, TimeProvider clock,
        IOptions<TwilioOptions> twilio, IOptions<MessagingOptions> messaging, IOptions<StoreOptions> shop, IDbContextFactory<DealershipDbContext> factory, FrontDesk desk, CancellationToken cancellationToken)
    {
        if (await ValidatedFormAsync(request, twilio.Value, messaging.Value) is not { } form)
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        var from = form.GetValueOrDefault("From") ?? "";
        var body = (form.GetValueOrDefault("Body") ?? "").Trim();
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await store.AddInboundAsync(new InboundMessageRecord
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Channel = Channels.Sms,
            From = from,
            Body = body,
            ProviderId = form.GetValueOrDefault("MessageSid"),
            ReceivedAt = now,
        }, cancellationToken))
        {
            return TwiML(null);
        }
        var intent = ReplyKeywords.Read(body);
        switch (intent)
        {
            case ReplyIntent.OptOut:
                await store.SetConsentAsync(Channels.Sms, from, optedOut: true, $"reply {body}", now, cancellationToken);
                return TwiML("您已退订，将不再收到本店短信。回复 START 可恢复。 You are unsubscribed and will receive no more texts. Reply START to resubscribe.");
            case ReplyIntent.OptOutMarketing:
                await store.SetConsentAsync(Channels.Marketing(Channels.Sms), from, optedOut: true, $"reply {body}", now, cancellationToken);
                await WithdrawMarketingAsync(factory, from, now, cancellationToken);
                return TwiML("您已退订保养提醒和回访问卷短信；车辆完工、报价确认等服务通知仍会发送。回复 STOP 停止全部短信。 You will get no more reminders or surveys; service messages about your car continue. Reply STOP to stop all texts.");
            case ReplyIntent.OptIn:
                await store.SetConsentAsync(Channels.Sms, from, optedOut: false, $"reply {body}", now, cancellationToken);
                return TwiML("您已恢复订阅。回复 TD 退订。 You are subscribed again. Reply STOP to unsubscribe.");
            case ReplyIntent.Help:
                return TwiML("售后服务短信。回复 TD 退订。如需帮助请致电服务顾问。 Service messages from your dealer. Reply STOP to unsubscribe; call your service advisor for help.");
            case ReplyIntent.Cancel:
                if (await CancelAppointmentAsync(from, body, factory, desk, shop.Value, messaging.Value, now, cancellationToken) is { } answer)
                    return TwiML(answer);
                break; // no appointment to cancel: the reply is read like any other
        }
        await runtime.PublishEventAsync("SmsReceived", new Dictionary<string, object?> { ["from"] = from, ["body"] = body }, from, null, cancellationToken);
        // A step waiting for this customer's answer (an SMS survey) gets it too.
        await runtime.TriggerAsync(SmsReplyStimulus.Name, new SmsReplyStimulus(from), new TriggerOptions
        {
            StartNew = false,
            Input = new Dictionary<string, object?> { ["from"] = from, ["body"] = body },
        }, cancellationToken);
        return TwiML(null);
    }

    /// <summary>The customer records behind the number no longer consent to marketing: the front desk sees the same as the messages do.</summary>
    private static async Task WithdrawMarketingAsync(IDbContextFactory<DealershipDbContext> factory, string from, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        foreach (var customer in await db.Customers.Where(c => c.Phone == from && c.MarketingConsent).ToListAsync(cancellationToken))
        {
            customer.MarketingConsent = false;
            customer.UpdatedAt = now;
            db.Audit.Add(AuditEntry.Of("customer:sms", "consent:marketing-withdrawn", "Customer", customer.Id, now));
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// "取消" / "CANCEL" from a customer with a coming appointment cancels the next one and answers with the
    /// confirmation; null when the number has no coming appointment.
    /// </summary>
    private static async Task<string?> CancelAppointmentAsync(string from, string body, IDbContextFactory<DealershipDbContext> factory, FrontDesk desk, StoreOptions store,
        MessagingOptions messaging, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var customers = await db.Customers.AsNoTracking().Where(c => c.Phone == from).ToListAsync(cancellationToken);
        var ids = customers.Select(c => c.Id).ToList();
        var appointment = await db.Appointments.Where(a => ids.Contains(a.CustomerId) && a.Status == AppointmentStatus.Booked && a.SlotAt > now).OrderBy(a => a.SlotAt).FirstOrDefaultAsync(cancellationToken);
        if (appointment is null)
            return null;
        await desk.CancelAsync(db, appointment, "customer:sms", $"reply {body}", cancellationToken);
        var customer = customers.First(c => c.Id == appointment.CustomerId);
        return store.SmsText(customer.Language == "en" ? "en" : "zh-CN", CustomerNotices.AppointmentCancelledText(store, customer, messaging.Show(appointment.SlotAt)), marketing: false);
    }

    /// <summary>The form when the signature is right for the configured public URL; null otherwise.</summary>
    private static async Task<Dictionary<string, string>?> ValidatedFormAsync(HttpRequest request, TwilioOptions twilio, MessagingOptions messaging)
    {
        if (string.IsNullOrEmpty(twilio.AuthToken) || !request.HasFormContentType)
            return null;
        var form = (await request.ReadFormAsync()).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        var url = messaging.PublicBaseUrl.TrimEnd('/') + request.Path + request.QueryString;
        var signature = request.Headers["X-Twilio-Signature"].ToString();
        return signature.Length > 0 && new RequestValidator(twilio.AuthToken).Validate(url, form, signature) ? form : null;
    }

    private static IResult TwiML(string? reply) =>
        Results.Content(reply is null ? "<Response/>" : $"<Response><Message>{SecurityElement.Escape(reply)}</Message></Response>", "application/xml");
}
