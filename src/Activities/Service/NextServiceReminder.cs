using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Activities.Tasks;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Expressions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service;

/// <summary>
/// The next-service reminder (保养提醒): due by date or by mileage projected from the vehicle's average daily distance,
/// whichever comes first, at the interval of the services done (the catalog's km and days) or the step's defaults. Some
/// days before (the interval is the car's own when it has one), an SMS and an email to a customer who consents to marketing; if nothing is booked, a follow-up call
/// whose result is kept and acted on (booked, call again later, declined, unreachable); once overdue, a message at two
/// weeks and at a month. One reminder per car: a newer reminder or any visit of the car closes it (Superseded).
/// </summary>
[Activity("Followup", "Service", "Remind the customer of the next service, due by date or projected mileage; follow up by phone when nothing is booked.", DisplayName = "Next service reminder")]
[FlowNode("Booked", "FollowedUp", "OptedOut", "Superseded")]
public sealed class NextServiceReminder : WaitingActivity
{
    private readonly LiquidEvaluator _liquid;
    private readonly DealershipRecords _records;
    private readonly ReminderSteps _reminders;
    private readonly TaskInbox _inbox;

    public NextServiceReminder(LiquidEvaluator liquid, DealershipRecords records, ReminderSteps reminders, TaskInbox inbox)
    {
        (_liquid, _records, _reminders, _inbox) = (liquid, records, reminders, inbox);
        When(NoticeBookmarkName, OnNoticeDueAsync);
        When(FollowUpBookmarkName, OnFollowUpDueAsync);
        When(OverdueBookmarkName, OnOverdueAsync);
        When(HumanTask.BookmarkName, OnCallDoneAsync);
        When(HumanTask.OverdueBookmarkName, inbox.EscalateAsync);
    }

    public const string NoticeBookmarkName = "Followup.NextServiceReminder.Notice";
    public const string FollowUpBookmarkName = "Followup.NextServiceReminder.FollowUp";
    public const string OverdueBookmarkName = "Followup.NextServiceReminder.Overdue";

    [Input(Description = "The visit (delivered) the reminder follows.")]
    public Input<string> VisitId { get; set; } = new(null);

    [Input(Description = "Service interval in days, when the car has none of its own and no service done on the visit has one in the catalog.", DefaultValue = 180)]
    public Input<int> IntervalDays { get; set; } = new(null);

    [Input(Description = "Service interval in kilometres, when the car has none of its own and no service done on the visit has one in the catalog.", DefaultValue = 5000)]
    public Input<int> IntervalKm { get; set; } = new(null);

    [Input(Description = "Days before the due date the reminder goes out.", DefaultValue = 14)]
    public Input<int> NoticeDays { get; set; } = new(null);

    [Input(Description = "Days after the reminder without a booking before the follow-up call task.", DefaultValue = 7)]
    public Input<int> FollowUpAfterDays { get; set; } = new(null);

    [Input(Description = "The role that makes the follow-up call.", UIHint = "dropdown", Options = ["Advisor", "CallbackAgent", "Manager"], DefaultValue = "Advisor")]
    public Input<string> FollowUpRole { get; set; } = new(null);

    [Input(DisplayName = "SMS (中文)", Description = "Liquid; Name, Plate, DueDate, DueKm (empty when unknown), Declined (work declined at the visit, safety first), BookingUrl are available.", UIHint = "multiline",
        DefaultValue = "{{ Name }}您好，您的爱车{{ Plate }}预计将于{{ DueDate }}{% if DueKm %}（或行驶至{{ DueKm }}公里）{% endif %}需要保养。{% if Declined %}上次建议的{{ Declined }}也可一并处理。{% endif %}欢迎预约：{{ BookingUrl }}")]
    public Input<string> SmsZhCn { get; set; } = new(null);

    [Input(DisplayName = "SMS (English)", Description = "Liquid; Name, Plate, DueDate, DueKm (empty when unknown), Declined (work declined at the visit, safety first), BookingUrl are available.", UIHint = "multiline",
        DefaultValue = "Hello {{ Name }}, your {{ Plate }} is due for service around {{ DueDate }}{% if DueKm %} (or at {{ DueKm }} km){% endif %}.{% if Declined %} We can also do the work we recommended last time: {{ Declined }}.{% endif %} Book here: {{ BookingUrl }}")]
    public Input<string> SmsEn { get; set; } = new(null);

    [Input(DisplayName = "Overdue SMS (中文)", Description = "Sent two weeks and a month after the due date when nothing is booked; the same values.", UIHint = "multiline",
        DefaultValue = "{{ Name }}您好，您的爱车{{ Plate }}已过保养时间（{{ DueDate }}）。按时保养更安全，欢迎预约：{{ BookingUrl }}")]
    public Input<string> OverdueZhCn { get; set; } = new(null);

    [Input(DisplayName = "Overdue SMS (English)", Description = "Sent two weeks and a month after the due date when nothing is booked; the same values.", UIHint = "multiline",
        DefaultValue = "Hello {{ Name }}, your {{ Plate }} was due for service on {{ DueDate }}. Book here: {{ BookingUrl }}")]
    public Input<string> OverdueEn { get; set; } = new(null);

    [Input(DisplayName = "Email subject (中文)", DefaultValue = "保养提醒：{{ Plate }}")]
    public Input<string> SubjectZhCn { get; set; } = new(null);

    [Input(DisplayName = "Email subject (English)", DefaultValue = "Service reminder: {{ Plate }}")]
    public Input<string> SubjectEn { get; set; } = new(null);

    [Input(Description = "Where customers book; empty for Followup's own signed booking link for the car.")]
    public Input<string> BookingUrl { get; set; } = new(null);

    [Output(Description = "When the next service is due.")]
    public Output<object>? DueAt { get; set; }

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var facts = await _records.VisitAsync(context, context.Get(VisitId));
        var visitId = facts.Visit.Id;
        var readings = await _records.ReadAsync(context, db => db.MileageReadings.AsNoTracking().Where(m => m.VehicleId == facts.Vehicle.Id).OrderBy(m => m.ReadAt).ToListAsync(context.CancellationToken));
        var from = facts.Visit.DeliveredAt ?? DealershipRecords.Now(context);
        var (intervalDays, intervalKm) = await IntervalAsync(context, facts.Vehicle, visitId, context.Get(IntervalDays), context.Get(IntervalKm));
        var due = Due(from, readings, intervalDays, intervalKm);
        var reminder = new ReminderRecord
        {
            Id = context.Workflow.NewId(),
            VehicleId = facts.Vehicle.Id,
            CustomerId = facts.Customer.Id,
            VisitId = visitId,
            DueAt = due.At,
            DueKm = due.Km,
            Basis = due.Basis,
            CreatedAt = DealershipRecords.Now(context),
        };
        await _reminders.ScheduleAsync(context, reminder);
        var model = new Dictionary<string, object?>
        {
            ["Name"] = facts.Customer.Name,
            ["Plate"] = facts.Vehicle.Plate ?? facts.Vehicle.Model,
            ["DueDate"] = _records.LocalTime(due.At)[..10],
            ["DueKm"] = due.Km,
            ["Declined"] = EstimateLine.Phrase(await _reminders.NotApprovedAsync(context, visitId), facts.Customer.Language),
            ["BookingUrl"] = context.Get(BookingUrl) is { Length: > 0 } url ? url : ReminderSteps.BookingLinkMark,
        };
        var (language, text) = Outbox.Choose(facts.Customer.Language, _liquid.RenderTemplate(SmsZhCn, context, model), _liquid.RenderTemplate(SmsEn, context, model));
        var (_, subject) = Outbox.Choose(language, _liquid.RenderTemplate(SubjectZhCn, context, model), _liquid.RenderTemplate(SubjectEn, context, model));
        context.SetProperty("ReminderId", reminder.Id);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = facts.Customer.Name,
            ["plate"] = (string)model["Plate"]!,
            ["date"] = (string)model["DueDate"]!,
            ["link"] = (string)model["BookingUrl"]!,
        };
        context.SetProperty("VehicleId", facts.Vehicle.Id);
        context.SetProperty("Sms", new MessagePayload(language, text).As(SmsTemplates.ServiceReminder, values).ToJson());
        var (_, overdue) = Outbox.Choose(language, _liquid.RenderTemplate(OverdueZhCn, context, model), _liquid.RenderTemplate(OverdueEn, context, model));
        context.SetProperty("Overdue", new MessagePayload(language, overdue).As(SmsTemplates.ServiceOverdue, values).ToJson());
        context.SetProperty("OverdueEmail", new MessagePayload(language, overdue, subject, null, Transactional: false).ToJson());
        context.SetProperty("DueAt", due.At);
        context.SetProperty("Email", new MessagePayload(language, text, subject, null, Transactional: false).ToJson());
        context.SetProperty("FollowUpAfter", TimeSpan.FromDays(Math.Max(1, context.Get(FollowUpAfterDays))));
        context.SetProperty("Role", context.Get(FollowUpRole));
        context.SetProperty("Customer", $"{facts.Customer.Name} · {facts.Vehicle.Plate} · {facts.Customer.Phone}");
        context.SetProperty("Language", language);
        var noticeAt = due.At.AddDays(-Math.Max(0, context.Get(NoticeDays)));
        context.Set(DueAt, due.At);
        WaitUntil(context, NoticeBookmarkName, new DateTimeOffset(noticeAt < reminder.CreatedAt ? reminder.CreatedAt : noticeAt, TimeSpan.Zero));
    }

    private async ValueTask OnNoticeDueAsync(ActivityExecutionContext context)
    {
        if (await _reminders.OpenAsync(context) is not var (reminder, customer))
            return;
        if (!await SendAsync(context, customer, "Sms", "Email"))
        {
            await _reminders.SetAsync(context, reminder.Id, ReminderStatus.OptedOut);
            await context.CompleteAsync("OptedOut");
            return;
        }
        var now = DealershipRecords.Now(context);
        await _reminders.SetAsync(context, reminder.Id, ReminderStatus.Sent, r => r.SentAt = now);
        WaitUntil(context, FollowUpBookmarkName, context.Clock.GetUtcNow() + context.GetProperty<TimeSpan>("FollowUpAfter"));
    }

    /// <summary>The reminder (or the overdue message) as far as the customer consents to marketing; false when nothing can go.</summary>
    private Task<bool> SendAsync(ActivityExecutionContext context, Customer customer, string smsProperty, string emailProperty) =>
        _reminders.SendAsync(context, customer, MessagePayload.FromJson(context.GetProperty<string>(smsProperty)!), MessagePayload.FromJson(context.GetProperty<string>(emailProperty)!));

    /// <summary>Overdue and nothing booked: a message two weeks after the due date, another at a month, then the reminder lapses.</summary>
    private async ValueTask OnOverdueAsync(ActivityExecutionContext context)
    {
        if (await _reminders.OpenAsync(context) is not var (reminder, customer))
            return;
        var stage = context.GetProperty<int>("OverdueStage") + 1;
        context.SetProperty("OverdueStage", stage);
        await SendAsync(context, customer, "Overdue", "OverdueEmail");
        await _records.WriteAsync(context, $"reminder:overdue-{stage}", "Reminder", reminder.Id, (_, _) => Task.CompletedTask);
        if (stage < 2)
        {
            WaitUntil(context, OverdueBookmarkName, new DateTimeOffset(context.GetProperty<DateTime>("DueAt").AddDays(30), TimeSpan.Zero));
            return;
        }
        await _reminders.SetAsync(context, reminder.Id, ReminderStatus.Lapsed);
        await context.CompleteAsync("FollowedUp");
    }

    private void WaitForOverdue(ActivityExecutionContext context)
    {
        var at = context.GetProperty<DateTime>("DueAt").AddDays(context.GetProperty<int>("OverdueStage") == 0 ? 14 : 30);
        var now = DealershipRecords.Now(context);
        WaitUntil(context, OverdueBookmarkName, new DateTimeOffset(at < now ? now : at, TimeSpan.Zero));
    }

    private async ValueTask OnFollowUpDueAsync(ActivityExecutionContext context)
    {
        if (await _reminders.OpenAsync(context) is not var (reminder, _))
            return;
        await _reminders.SetAsync(context, reminder.Id, ReminderStatus.FollowUp);
        var zh = context.GetProperty<string>("Language") != "en";
        var (title, titleOther) = TaskSpec.Pick(!zh, $"保养提醒跟进：{context.GetProperty<string>("Customer")}", $"Service reminder follow-up: {context.GetProperty<string>("Customer")}");
        var (instructions, instructionsOther) = TaskSpec.Pick(!zh, "客户收到保养提醒后尚未预约，请致电了解并协助预约。", "The customer has not booked since the reminder. Call, and help them book if they wish.");
        _inbox.Open(context, new TaskSpec(title, instructions, zh ? "zh-CN" : "en", TaskForm.Parse(FollowUpForm, null), context.GetProperty<string>("Role"), DueIn: TimeSpan.FromDays(2))
        {
            TitleOther = titleOther,
            InstructionsOther = instructionsOther,
        });
    }

    private async ValueTask OnCallDoneAsync(ActivityExecutionContext context)
    {
        // The call is recorded first: the task is done whatever the reminder's state.
        if (await _inbox.CompletedAsync(context) is null || await _reminders.OpenAsync(context) is not var (reminder, _))
            return;
        var values = new StepValues(context.ResumeInput.GetValueOrDefault("Values"));
        var result = values.Text("result") ?? "unreachable";
        var now = DealershipRecords.Now(context);
        var later = result == "later" ? LaterOn(values.Text("laterOn"), now) : (DateTime?)null;
        var status = result switch { "booked" => ReminderStatus.Booked, "declined" => ReminderStatus.Declined, _ => ReminderStatus.FollowUp };
        await _reminders.SetAsync(context, reminder.Id, status, r => (r.CallResult, r.CallNotes, r.CallBackOn) = (result, values.Text("notes"), later));
        switch (result)
        {
            case "booked":
                await context.CompleteAsync("Booked");
                return;
            case "declined":
                await context.CompleteAsync("FollowedUp");
                return;
            case "later":
                WaitUntil(context, FollowUpBookmarkName, new DateTimeOffset(later!.Value, TimeSpan.Zero)); // call again on the day they asked
                return;
            default:
                WaitForOverdue(context);
                return;
        }
    }

    /// <summary>When the store opens on the day the customer asked to be called again (UTC); a month on when no day was written or it is past.</summary>
    private DateTime LaterOn(string? written, DateTime now)
    {
        if (written is null || !DateTimeOffset.TryParse(written, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at))
            return now.AddDays(30);
        var day = _records.Utc(at.DateTime.Date + _records.Store.OpensAt.ToTimeSpan()); // the day as the agent wrote it, on the store's calendar
        return day > now ? day : now.AddDays(30);
    }

    /// <summary>
    /// The interval of the next service, km and days each: the car's own (its maker's schedule), else the shortest of
    /// the services done on the visit that have one in the catalog, else the step's defaults.
    /// </summary>
    private Task<(int Days, int Km)> IntervalAsync(ActivityExecutionContext context, Vehicle vehicle, string visitId, int defaultDays, int defaultKm) => _records.ReadAsync(context, async db =>
    {
        var done = await db.EstimateLines.AsNoTracking()
            .Where(l => l.Approved == true && db.Estimates.Any(e => e.Id == l.EstimateId && e.VisitId == visitId)).Select(l => l.LineKey).ToListAsync(context.CancellationToken);
        var items = await db.Catalog.AsNoTracking().Where(i => done.Contains(i.Code)).ToListAsync(context.CancellationToken);
        return (vehicle.ServiceIntervalDays ?? items.Where(i => i.IntervalDays > 0).Select(i => i.IntervalDays!.Value).DefaultIfEmpty(defaultDays).Min(),
                vehicle.ServiceIntervalKm ?? items.Where(i => i.IntervalKm > 0).Select(i => i.IntervalKm!.Value).DefaultIfEmpty(defaultKm).Min());
    });

    public sealed record DueDate(DateTime At, string Basis, int? Km);

    /// <summary>
    /// Due by date (the interval from the last service) or by mileage (the day the projected odometer reaches the last
    /// reading plus the interval, at the average daily distance between the first and last readings), whichever is first.
    /// </summary>
    public static DueDate Due(DateTime from, IReadOnlyList<MileageReading> readings, int intervalDays, int intervalKm)
    {
        var byDate = from.AddDays(intervalDays);
        if (readings.Count == 0)
            return new DueDate(byDate, "date", null);
        var last = readings[^1];
        var dueKm = last.Kilometres + intervalKm;
        var first = readings[0];
        var days = (last.ReadAt - first.ReadAt).TotalDays;
        if (days < 7 || last.Kilometres <= first.Kilometres)
            return new DueDate(byDate, "date", dueKm);
        var perDay = (last.Kilometres - first.Kilometres) / days;
        var byKm = last.ReadAt.AddDays(intervalKm / perDay);
        return byKm < byDate ? new DueDate(byKm, "mileage", dueKm) : new DueDate(byDate, "date", dueKm);
    }

    private const string FollowUpForm = """
        { "fields": [
          { "name": "result", "type": "choice", "required": true, "label": { "zh-CN": "结果", "en": "Result" }, "options": [
              { "value": "booked", "label": { "zh-CN": "已预约", "en": "Booked" } },
              { "value": "later", "label": { "zh-CN": "稍后再联系（填写日期）", "en": "Call again later (give the date)" } },
              { "value": "declined", "label": { "zh-CN": "不需要", "en": "Does not want it" } },
              { "value": "unreachable", "label": { "zh-CN": "未接通", "en": "Could not reach" } } ] },
          { "name": "laterOn", "type": "datetime", "label": { "zh-CN": "再次联系日期", "en": "Call again on" } },
          { "name": "notes", "type": "multiline", "label": { "zh-CN": "备注", "en": "Notes" } }
        ], "actions": ["Done"] }
        """;
}
