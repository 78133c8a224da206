using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Activities.Tasks;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Expressions;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Service;

/// <summary>
/// The work a customer declined or never answered at a visit, followed up some days after delivery (safety items
/// first): a message with a booking link to a customer who consents to marketing, else a call by the advisor whose
/// result is kept. A booking of the car in the weeks after counts as "declined work → booked" on the dashboard; a visit
/// of the car, or a newer follow-up, closes it.
/// </summary>
[Activity("Followup", "Service", "Some days after delivery, follow up the work the customer declined or left unanswered: a message to a customer who consents to marketing, else a call by the advisor.", DisplayName = "Declined work follow-up")]
[FlowNode("Booked", "NotBooked", "NothingDeclined", "Superseded")]
public sealed class DeclinedWorkFollowUp : WaitingActivity
{
    private readonly LiquidEvaluator _liquid;
    private readonly DealershipRecords _records;
    private readonly ReminderSteps _reminders;
    private readonly TaskInbox _inbox;

    public DeclinedWorkFollowUp(LiquidEvaluator liquid, DealershipRecords records, ReminderSteps reminders, TaskInbox inbox)
    {
        (_liquid, _records, _reminders, _inbox) = (liquid, records, reminders, inbox);
        When(DueBookmarkName, OnDueAsync);
        When(WindowBookmarkName, OnWindowOverAsync);
        When(HumanTask.BookmarkName, OnCallDoneAsync);
        When(HumanTask.OverdueBookmarkName, inbox.EscalateAsync);
    }

    public const string DueBookmarkName = "Followup.DeclinedWorkFollowUp.Due";
    public const string WindowBookmarkName = "Followup.DeclinedWorkFollowUp.Window";

    [Input(Description = "The visit (delivered) whose declined work is followed up.")]
    public Input<string> VisitId { get; set; } = new(null);

    [Input(Description = "Days after delivery when the follow-up goes out (when the store opens that day).", DefaultValue = 7)]
    public Input<int> AfterDays { get; set; } = new(null);

    [Input(Description = "Days after the message within which a booking of the car counts as booked from it.", DefaultValue = 30)]
    public Input<int> BookingWindowDays { get; set; } = new(null);

    [Input(Description = "The role that calls a customer who cannot be sent the message.", UIHint = "dropdown", Options = ["Advisor", "CallbackAgent", "Manager"], DefaultValue = "Advisor")]
    public Input<string> CallRole { get; set; } = new(null);

    [Input(DisplayName = "SMS (中文)", Description = "Liquid; Name, Plate, Work (what was not done, safety first), Safety (true when any of it concerns safety), BookingUrl are available.", UIHint = "multiline",
        DefaultValue = "{{ Name }}您好，上次为您的爱车{{ Plate }}检查时建议的{{ Work }}尚未处理。{% if Safety %}其中涉及行车安全，建议尽快处理。{% endif %}欢迎预约：{{ BookingUrl }}")]
    public Input<string> SmsZhCn { get; set; } = new(null);

    [Input(DisplayName = "SMS (English)", Description = "Liquid; Name, Plate, Work (what was not done, safety first), Safety (true when any of it concerns safety), BookingUrl are available.", UIHint = "multiline",
        DefaultValue = "Hello {{ Name }}, when we serviced your {{ Plate }} we recommended work that is not done yet: {{ Work }}.{% if Safety %} Some of it concerns your safety on the road; we advise doing it soon.{% endif %} Book here: {{ BookingUrl }}")]
    public Input<string> SmsEn { get; set; } = new(null);

    [Input(DisplayName = "Email subject (中文)", DefaultValue = "上次建议的维修项目：{{ Plate }}")]
    public Input<string> SubjectZhCn { get; set; } = new(null);

    [Input(DisplayName = "Email subject (English)", DefaultValue = "Work we recommended for your {{ Plate }}")]
    public Input<string> SubjectEn { get; set; } = new(null);

    [Input(Description = "Where customers book; empty for Followup's own signed booking link for the car.")]
    public Input<string> BookingUrl { get; set; } = new(null);

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var facts = await _records.VisitAsync(context, context.Get(VisitId));
        var lines = await _reminders.NotApprovedAsync(context, facts.Visit.Id);
        if (lines.Count == 0)
        {
            await context.CompleteAsync("NothingDeclined");
            return;
        }
        var now = DealershipRecords.Now(context);
        var due = _records.DayAfter(facts.Visit.DeliveredAt ?? now, Math.Max(1, context.Get(AfterDays)));
        var reminder = new ReminderRecord
        {
            Id = context.Workflow.NewId(),
            Kind = ReminderKind.DeclinedWork,
            VehicleId = facts.Vehicle.Id,
            CustomerId = facts.Customer.Id,
            VisitId = facts.Visit.Id,
            DueAt = _records.OpenFrom(due),
            Basis = "declined",
            CreatedAt = now,
        };
        await _reminders.ScheduleAsync(context, reminder);
        var model = new Dictionary<string, object?>
        {
            ["Name"] = facts.Customer.Name,
            ["Plate"] = facts.Vehicle.Plate ?? facts.Vehicle.Model,
            ["Work"] = EstimateLine.Phrase(lines, facts.Customer.Language),
            ["Safety"] = lines.Any(l => l.Safety),
            ["BookingUrl"] = context.Get(BookingUrl) is { Length: > 0 } url ? url : ReminderSteps.BookingLinkMark,
        };
        var (language, text) = Outbox.Choose(facts.Customer.Language, _liquid.RenderTemplate(SmsZhCn, context, model), _liquid.RenderTemplate(SmsEn, context, model));
        var (_, subject) = Outbox.Choose(language, _liquid.RenderTemplate(SubjectZhCn, context, model), _liquid.RenderTemplate(SubjectEn, context, model));
        var zh = language != "en";
        context.SetProperty("ReminderId", reminder.Id);
        context.SetProperty("VehicleId", facts.Vehicle.Id);
        context.SetProperty("Sms", new MessagePayload(language, text).As(SmsTemplates.DeclinedWorkReminder, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = facts.Customer.Name,
            ["plate"] = (string)model["Plate"]!,
            ["work"] = EstimateLine.Phrase(lines, "zh-CN"),
            ["link"] = (string)model["BookingUrl"]!,
        }).ToJson());
        context.SetProperty("Email", new MessagePayload(language, text, subject, null, Transactional: false).ToJson());
        context.SetProperty("Window", TimeSpan.FromDays(Math.Max(1, context.Get(BookingWindowDays))));
        context.SetProperty("Language", zh ? "zh-CN" : "en");
        var (workZh, workEn) = (EstimateLine.Phrase(lines, "zh-CN", markSafety: true), EstimateLine.Phrase(lines, "en", markSafety: true));
        var (title, titleOther) = TaskSpec.Pick(!zh, $"未做项目跟进：{facts.Customer.Name} · {facts.Vehicle.Plate} · {facts.Customer.Phone}", $"Declined work follow-up: {facts.Customer.Name} · {facts.Vehicle.Plate} · {facts.Customer.Phone}");
        var (callText, callTextOther) = TaskSpec.Pick(!zh, $"上次维修（{facts.Visit.Number}）建议但未做的项目：{workZh}。客户未同意接收营销信息，请致电了解并协助预约。",
            $"Recommended at {facts.Visit.Number} and not done: {workEn}. The customer has not agreed to marketing messages: call, and help them book if they wish.");
        context.SetProperty("CallTitle", title);
        context.SetProperty("CallTitleOther", titleOther);
        context.SetProperty("CallText", callText);
        context.SetProperty("CallTextOther", callTextOther);
        context.SetProperty("Role", context.Get(CallRole));
        WaitUntil(context, DueBookmarkName, new DateTimeOffset(reminder.DueAt, TimeSpan.Zero));
    }

    private async ValueTask OnDueAsync(ActivityExecutionContext context)
    {
        if (await _reminders.OpenAsync(context) is not var (reminder, customer))
            return;
        var now = DealershipRecords.Now(context);
        if (await _reminders.SendAsync(context, customer, MessagePayload.FromJson(context.GetProperty<string>("Sms")!), MessagePayload.FromJson(context.GetProperty<string>("Email")!)))
        {
            await _reminders.SetAsync(context, reminder.Id, ReminderStatus.Sent, r => r.SentAt = now);
            WaitUntil(context, WindowBookmarkName, context.Clock.GetUtcNow() + context.GetProperty<TimeSpan>("Window"));
            return;
        }
        // No marketing message may go: the advisor calls instead.
        await _reminders.SetAsync(context, reminder.Id, ReminderStatus.FollowUp, r => r.SentAt = now);
        _inbox.Open(context, new TaskSpec(context.GetProperty<string>("CallTitle")!, context.GetProperty<string>("CallText"), context.GetProperty<string>("Language")!,
            TaskForm.Parse(CallForm, null), context.GetProperty<string>("Role"), DueIn: TimeSpan.FromDays(2))
        {
            TitleOther = context.GetProperty<string>("CallTitleOther"),
            InstructionsOther = context.GetProperty<string>("CallTextOther"),
        });
    }

    /// <summary>The window after the message is over and nothing was booked.</summary>
    private async ValueTask OnWindowOverAsync(ActivityExecutionContext context)
    {
        if (await _reminders.OpenAsync(context) is not var (reminder, _))
            return;
        await _reminders.SetAsync(context, reminder.Id, ReminderStatus.Lapsed);
        await context.CompleteAsync("NotBooked");
    }

    private async ValueTask OnCallDoneAsync(ActivityExecutionContext context)
    {
        // The call is recorded first: the task is done whatever the follow-up's state.
        if (await _inbox.CompletedAsync(context) is null || await _reminders.OpenAsync(context) is not var (reminder, _))
            return;
        var values = new StepValues(context.ResumeInput.GetValueOrDefault("Values"));
        var result = values.Text("result") ?? "unreachable";
        var status = result switch { "booked" => ReminderStatus.Booked, "declined" => ReminderStatus.Declined, _ => ReminderStatus.Unreachable };
        await _reminders.SetAsync(context, reminder.Id, status, r => (r.CallResult, r.CallNotes) = (result, values.Text("notes")));
        await context.CompleteAsync(status == ReminderStatus.Booked ? "Booked" : "NotBooked");
    }

    private const string CallForm = """
        { "fields": [
          { "name": "result", "type": "choice", "required": true, "label": { "zh-CN": "结果", "en": "Result" }, "options": [
              { "value": "booked", "label": { "zh-CN": "已预约", "en": "Booked" } },
              { "value": "declined", "label": { "zh-CN": "暂不需要", "en": "Does not want it" } },
              { "value": "unreachable", "label": { "zh-CN": "未接通", "en": "Could not reach" } } ] },
          { "name": "notes", "type": "multiline", "label": { "zh-CN": "备注", "en": "Notes" } }
        ], "actions": ["Done"] }
        """;
}
