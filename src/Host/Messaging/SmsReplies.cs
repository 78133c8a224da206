using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Activities.Service;
using Followup.Host.Api;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Followup.Host.Messaging;

/// <summary>What a customer's reply asked for, and the answer to it (null: none), as the customer reads it.</summary>
public sealed record SmsAnswer(ReplyIntent Intent, string? Text, OutboxRecord? Message = null);

/// <summary>
/// What every SMS provider's callbacks feed, whichever provider carries the texts: delivery receipts onto the outbox
/// row, and customers' replies. STOP/START/HELP (and 退订/TD/订阅/帮助, as people write them) change consent; 取消/CANCEL
/// cancels the next appointment; any other reply goes to a waiting workflow (event <c>SmsReceived</c>, correlated by
/// the customer's number; an SMS survey's answer) and is kept for the inbox. A reply seen before changes nothing.
/// </summary>
public sealed class SmsReplies(ConsentStore consents, OutboxStore outbox, IOutboxQueue queue, IWorkflowRuntime runtime, TimeProvider clock, IOptions<MessagingOptions> messaging,
    IOptions<StoreOptions> shop, IOptions<SmsOptions> sms, IDbContextFactory<DealershipDbContext> factory, FrontDesk desk, UndeliveredSms undelivered)
{
    /// <summary>A delivery receipt for the message the provider knows as <paramref name="providerId"/> (or ours, <paramref name="messageId"/>); null <paramref name="delivered"/> is a state on the way.</summary>
    public async Task ReceiptAsync(string providerId, string? messageId, bool? delivered, string status, string? errorCode, CancellationToken cancellationToken)
    {
        var row = await outbox.FindByProviderIdAsync(providerId, cancellationToken) ?? (messageId is null ? null : await outbox.FindAsync(messageId, cancellationToken));
        if (row is null)
            return;
        var detail = $"provider: {status}" + (errorCode is { Length: > 0 } code ? $" ({code})" : "");
        if (row.History.Contains($"\"detail\":\"{detail}\"", StringComparison.Ordinal))
            return;
        if (delivered == false)
            row.ErrorCode = errorCode;
        var newStatus = delivered is null || row.Status == OutboxStatus.Delivered ? row.Status : delivered.Value ? OutboxStatus.Delivered : OutboxStatus.Failed;
        var failedNow = newStatus == OutboxStatus.Failed && row.Status != OutboxStatus.Failed;
        var now = clock.GetUtcNow();
        row.Status = newStatus;
        row.UpdatedAt = now.UtcDateTime;
        row.History = OutboxDispatcher.AppendHistory(row.History, newStatus, now, detail);
        await outbox.SaveAsync(row, cancellationToken);
        if (failedNow)
            await undelivered.HandleAsync(row, cancellationToken);
    }

    /// <summary>
    /// A reply from <paramref name="from"/> (any format; kept in E.164). Returns the answer, or null when the reply was
    /// seen before (the same provider id) and nothing was done.
    /// </summary>
    public async Task<SmsAnswer?> ReceiveAsync(string from, string body, string? providerId, CancellationToken cancellationToken)
    {
        from = Phone.TryNormalize(from, messaging.Value.DefaultRegion, out var e164) ? e164 : from;
        body = body.Trim();
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await consents.AddInboundAsync(new InboundMessageRecord
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Channel = Channels.Sms,
            From = from,
            Body = body,
            ProviderId = providerId,
            ReceivedAt = now,
        }, cancellationToken))
        {
            return null;
        }
        var intent = ReplyKeywords.Read(body);
        switch (intent)
        {
            case ReplyIntent.OptOut:
                await consents.SetConsentAsync(Channels.Sms, from, optedOut: true, $"reply {body}", now, cancellationToken);
                return new(intent, "您已退订，将不再收到本店短信。回复 START 可恢复。 You are unsubscribed and will receive no more texts. Reply START to resubscribe.");
            case ReplyIntent.OptOutMarketing:
                await consents.SetConsentAsync(Channels.Marketing(Channels.Sms), from, optedOut: true, $"reply {body}", now, cancellationToken);
                await WithdrawMarketingAsync(from, now, cancellationToken);
                return new(intent, "您已退订保养提醒和回访问卷短信；车辆完工、报价确认等服务通知仍会发送。回复 STOP 停止全部短信。 You will get no more reminders or surveys; service messages about your car continue. Reply STOP to stop all texts.");
            case ReplyIntent.OptIn:
                await consents.SetConsentAsync(Channels.Sms, from, optedOut: false, $"reply {body}", now, cancellationToken);
                return new(intent, "您已恢复订阅。回复 TD 退订。 You are subscribed again. Reply STOP to unsubscribe.");
            case ReplyIntent.Help:
                return new(intent, "售后服务短信。回复 TD 退订。如需帮助请致电服务顾问。 Service messages from your dealer. Reply STOP to unsubscribe; call your service advisor for help.");
            case ReplyIntent.Cancel:
                if (await CancelAppointmentAsync(from, body, now, cancellationToken) is { } answer)
                    return answer;
                break; // no appointment to cancel: the reply is read like any other
        }
        await runtime.PublishEventAsync("SmsReceived", new Dictionary<string, object?> { ["from"] = from, ["body"] = body }, from, null, cancellationToken);
        // A step waiting for this customer's answer (an SMS survey) gets it too.
        await runtime.TriggerAsync(SmsReplyStimulus.Name, new SmsReplyStimulus(from), new TriggerOptions
        {
            StartNew = false,
            Input = new Dictionary<string, object?> { ["from"] = from, ["body"] = body },
        }, cancellationToken);
        return new(ReplyIntent.None, null);
    }

    /// <summary>
    /// An answer a provider cannot give in its reply to the callback (the mainland providers): the cancellation's
    /// confirmation goes as a message of its own. Other answers are not sent: the provider confirms 退订 itself, and
    /// nobody is texted after they opted out.
    /// </summary>
    public async Task SendSeparatelyAsync(SmsAnswer answer, CancellationToken cancellationToken)
    {
        if (answer.Message is not { } row)
            return;
        await outbox.AddAsync([row], cancellationToken);
        await queue.EnqueueAsync(row.Id, cancellationToken);
    }

    /// <summary>The customer records behind the number no longer consent to marketing: the front desk sees the same as the messages do.</summary>
    private async Task WithdrawMarketingAsync(string from, DateTime now, CancellationToken cancellationToken)
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
    private async Task<SmsAnswer?> CancelAppointmentAsync(string from, string body, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var customers = await db.Customers.AsNoTracking().Where(c => c.Phone == from).ToListAsync(cancellationToken);
        var ids = customers.Select(c => c.Id).ToList();
        var appointment = await db.Appointments.Where(a => ids.Contains(a.CustomerId) && a.Status == AppointmentStatus.Booked && a.SlotAt > now).OrderBy(a => a.SlotAt).FirstOrDefaultAsync(cancellationToken);
        if (appointment is null)
            return null;
        await desk.CancelAsync(db, appointment, "customer:sms", $"reply {body}", cancellationToken);
        var customer = customers.First(c => c.Id == appointment.CustomerId);
        var message = CustomerNotices.AppointmentCancelledMessage(shop.Value, customer, messaging.Value.Show(appointment.SlotAt));
        var row = Outbox.SmsRow(shop.Value, sms.Value, $"appointment:{appointment.Id}:cancelled", from, message, urgent: true, appointment.Id, now);
        return new(ReplyIntent.Cancel, MessagePayload.FromJson(row.Payload).Text, row);
    }
}
