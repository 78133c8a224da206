using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service;

/// <summary>What the reminders share: their record, the marketing messages consent allows, and the work a visit left undone.</summary>
public sealed class ReminderSteps(DealershipRecords records, ConsentStore consents, Approvals.ICustomerLinks links)
{
    /// <summary>
    /// Where the booking link goes in a reminder written when it is scheduled: the link itself is made when the message
    /// goes (months later), so it has not expired by then.
    /// </summary>
    public const string BookingLinkMark = "{booking-link}";

    /// <summary>The message with <see cref="BookingLinkMark"/> replaced by a fresh short booking link for the car.</summary>
    private static MessagePayload WithLink(MessagePayload message, string link) => message with
    {
        Text = message.Text.Replace(BookingLinkMark, link, StringComparison.Ordinal),
        Parameters = message.Parameters?.ToDictionary(p => p.Key, p => p.Value.Replace(BookingLinkMark, link, StringComparison.Ordinal), StringComparer.Ordinal),
    };

    /// <summary>Adds a reminder with the step, closing any earlier one of its kind still working for the car (one live reminder of each kind per car).</summary>
    public Task ScheduleAsync(ActivityExecutionContext context, ReminderRecord reminder) =>
        records.WriteAsync(context, $"reminder:{reminder.Kind}:scheduled", "Vehicle", reminder.VehicleId, async (db, ct) =>
        {
            foreach (var earlier in await db.OpenReminders(reminder.VehicleId, reminder.Kind).ToListAsync(ct))
                earlier.Status = ReminderStatus.Closed(earlier);
            db.Reminders.Add(reminder);
        });

    /// <summary>
    /// The reminder and its customer while it is still working; otherwise null, and the step completes: Booked when the
    /// customer booked meanwhile, else Superseded (the car came in, or a newer reminder took over).
    /// </summary>
    public async Task<(ReminderRecord Reminder, Customer Customer)?> OpenAsync(ActivityExecutionContext context)
    {
        var reminderId = context.GetProperty<string>("ReminderId")!;
        var (reminder, customer) = await records.ReadAsync(context, async db =>
        {
            var r = await db.Reminders.AsNoTracking().FirstAsync(x => x.Id == reminderId, context.CancellationToken);
            return (r, await db.Customers.AsNoTracking().FirstAsync(c => c.Id == r.CustomerId, context.CancellationToken));
        });
        if (ReminderStatus.Open.Contains(reminder.Status))
            return (reminder, customer);
        context.ClearBookmarks();
        await context.CompleteAsync(reminder.Status == ReminderStatus.Booked ? "Booked" : "Superseded");
        return null;
    }

    /// <summary>Marketing by SMS and email, as far as the customer consents and has not opted out; false when neither can go.</summary>
    public async Task<bool> SendAsync(ActivityExecutionContext context, Customer customer, MessagePayload sms, MessagePayload email)
    {
        var phone = customer.SmsTo(marketing: true) is { } p && !await consents.BlocksAsync(Channels.Sms, p, marketing: true, context.CancellationToken) ? p : null;
        var address = customer.EmailTo(marketing: true) is { } a && !await consents.BlocksAsync(Channels.Email, a, marketing: true, context.CancellationToken) ? a : null;
        if ((phone != null || address != null) && (sms.Text.Contains(BookingLinkMark, StringComparison.Ordinal) || email.Text.Contains(BookingLinkMark, StringComparison.Ordinal)))
        {
            var link = ShortLinks.For(context, links.BookingLinkFor(context.GetProperty<string>("VehicleId")!), Approvals.ICustomerLinks.BookingLinkLifetime);
            (sms, email) = (WithLink(sms, link), WithLink(email, link));
        }
        if (phone != null)
            Outbox.Sms(context, phone, sms, urgent: false, marketing: true);
        if (address != null)
            Outbox.Email(context, address, email, urgent: false);
        return phone != null || address != null;
    }

    /// <summary>Changes the reminder with the step (its status and whatever else <paramref name="change"/> sets).</summary>
    public Task SetAsync(ActivityExecutionContext context, string reminderId, string status, Action<ReminderRecord>? change = null) =>
        records.WriteAsync(context, "reminder:" + status, "Reminder", reminderId, async (db, ct) =>
        {
            var row = await db.Reminders.FirstAsync(r => r.Id == reminderId, ct);
            row.Status = status;
            change?.Invoke(row);
        });

    /// <summary>What the customer declined or never answered at the visit, safety items first.</summary>
    public Task<List<EstimateLine>> NotApprovedAsync(ActivityExecutionContext context, string visitId) =>
        records.ReadAsync(context, db => db.NotApproved(visitId).ToListAsync(context.CancellationToken));
}
