using System.Globalization;
using System.Text.RegularExpressions;
using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Activities.Tasks;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service;

/// <summary>A customer's SMS reply, as the inbound webhook passes it to a waiting step (matched by the sender's number).</summary>
public sealed record SmsReplyStimulus(string Phone)
{
    public const string Name = "Followup.SmsReply";
}

/// <summary>
/// The satisfaction callback (回访) within three days: the first call when the store opens on day 2 after delivery,
/// further calls within store hours until it closes on day 3, at most three; then one SMS survey when the customer
/// accepts texts. The questions are neutral and the score is what the customer says. An unresolved problem goes out
/// on NotResolved (a return visit is booked), a low score on Escalate, no answer at all on Unreachable.
/// </summary>
[Activity("Followup", "Service", "Call the customer (or send an SMS survey) in the days after delivery and record an honest score.", DisplayName = "Satisfaction callback")]
[FlowNode("Satisfied", "Escalate", "NotResolved", "Unreachable")]
public sealed partial class SatisfactionCallback : WaitingActivity
{
    private readonly DealershipRecords _records;
    private readonly TaskInbox _inbox;

    public SatisfactionCallback(DealershipRecords records, TaskInbox inbox)
    {
        (_records, _inbox) = (records, inbox);
        When(DueBookmarkName, context => AttemptAsync(context, CallbackId(context)));
        When(DeadlineBookmarkName, context => GiveUpAsync(context, CallbackId(context)));
        When(SmsReplyStimulus.Name, OnReplyAsync);
        When(MessageUndeliveredStimulus.Name, OnSurveyUndeliveredAsync);
        When(HumanTask.BookmarkName, OnCallDoneAsync);
        When(HumanTask.OverdueBookmarkName, inbox.EscalateAsync);
    }

    private static string CallbackId(ActivityExecutionContext context) => context.GetProperty<string>("CallbackId")!;

    public const string DueBookmarkName = "Followup.SatisfactionCallback.Due";
    public const string DeadlineBookmarkName = "Followup.SatisfactionCallback.Deadline";

    [Input(Description = "The visit's id.")]
    public Input<string> VisitId { get; set; } = new(null);

    [Input(DisplayName = "First call on day", Description = "The first call is made when the store opens this many days after the delivery day (2: the day after next).", DefaultValue = 2)]
    public Input<int> FirstCallDay { get; set; } = new(null);

    [Input(DisplayName = "Last call on day", Description = "Calls stop when the store closes this many days after the delivery day.", DefaultValue = 3)]
    public Input<int> LastCallDay { get; set; } = new(null);

    [Input(Description = "At most this many calls; then the SMS survey (when the customer accepts texts), else unreachable.", DefaultValue = 3)]
    public Input<int> MaxCalls { get; set; } = new(null);

    [Input(Description = "The wait before calling again after no answer (moved to the store's opening hours).", DefaultValue = "02:00:00")]
    public Input<TimeSpan> RetryEvery { get; set; } = new(null);

    [Input(Description = "call: calls, then an SMS survey if nobody answered; sms: the SMS survey only.", UIHint = "dropdown", Options = ["call", "sms"], DefaultValue = "call")]
    public Input<string> Mode { get; set; } = new(null);

    [Input(Description = "How long the answer to the SMS survey is awaited.", DefaultValue = "3.00:00:00")]
    public Input<TimeSpan> SurveyWindow { get; set; } = new(null);

    [Input(Description = "Scores (1–5) at or below this escalate to the service manager.", DefaultValue = 2)]
    public Input<int> EscalateAtOrBelow { get; set; } = new(null);

    [Input(Description = "The role that makes the calls.", UIHint = "dropdown", Options = ["CallbackAgent", "Advisor", "Manager"], DefaultValue = "CallbackAgent")]
    public Input<string> AssigneeRole { get; set; } = new(null);

    [Input(Description = "The language of the staff task (zh-CN or en).", DefaultValue = "zh-CN")]
    public Input<string> StaffLanguage { get; set; } = new(null);

    [Input(DisplayName = "Survey SMS (中文)", Description = "Neutral question; {{ Name }}, {{ Number }} and {{ Plate }} are filled in.", UIHint = "multiline",
        DefaultValue = "{{ Name }}您好，感谢您近日到店保养（{{ Plate }}）。请回复1-5为本次服务打分（5为非常满意），如有未解决的问题也请直接回复告诉我们。")]
    public Input<string> SurveyZhCn { get; set; } = new(null);

    [Input(DisplayName = "Survey SMS (English)", Description = "Neutral question; {{ Name }}, {{ Number }} and {{ Plate }} are filled in.", UIHint = "multiline",
        DefaultValue = "Hello {{ Name }}, thank you for your recent service visit ({{ Plate }}). Please reply with a score from 1 to 5 (5 = very satisfied), and tell us about anything that is not resolved.")]
    public Input<string> SurveyEn { get; set; } = new(null);

    [Output(Description = "The score the customer gave (1–5), or nothing when unreachable.")]
    public Output<object>? Score { get; set; }

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var facts = await _records.VisitAsync(context, context.Get(VisitId));
        var visitId = facts.Visit.Id;
        var now = DealershipRecords.Now(context);
        var delivered = facts.Visit.DeliveredAt ?? now;
        var first = _records.DayAfter(delivered, Math.Max(0, context.Get(FirstCallDay)));
        var lastCall = _records.DayAfter(delivered, Math.Max(0, context.Get(LastCallDay)), closing: true);
        first = first < now ? _records.OpenFrom(now) : first;
        var canSurvey = facts.Customer.SmsTo(marketing: true) is not null;
        var mode = context.Get(Mode) == "sms" && canSurvey ? "sms" : "call";
        var callback = new CallbackRecord { Id = context.Workflow.NewId(), VisitId = visitId, DueAt = first, DeadlineAt = lastCall < first ? first : lastCall, Mode = mode };
        await _records.WriteAsync(context, "callback:scheduled", "Visit", visitId, (db, _) =>
        {
            db.Callbacks.Add(callback);
            return Task.CompletedTask;
        });
        // What later bursts need (inputs are evaluated when the step starts).
        context.SetProperty("CallbackId", callback.Id);
        context.SetProperty("Mode", mode);
        context.SetProperty("CanSurvey", canSurvey);
        context.SetProperty("LastCallAt", callback.DeadlineAt);
        context.SetProperty("MaxCalls", Math.Max(1, context.Get(MaxCalls)));
        context.SetProperty("RetryEvery", context.Get(RetryEvery));
        context.SetProperty("SurveyWindow", context.Get(SurveyWindow));
        context.SetProperty("EscalateAtOrBelow", context.Get(EscalateAtOrBelow));
        context.SetProperty("Role", context.Get(AssigneeRole));
        context.SetProperty("StaffLanguage", context.Get(StaffLanguage) == "en" ? "en" : "zh-CN");
        var (language, survey) = Outbox.Choose(facts.Customer.Language, context.Get(SurveyZhCn), context.Get(SurveyEn));
        context.SetProperty("Survey", new MessagePayload(language, Fill(survey, facts))
            .As(SmsTemplates.SatisfactionSurvey, new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = facts.Customer.Name, ["plate"] = facts.Vehicle.Plate ?? facts.Vehicle.Model ?? "" }).ToJson());
        context.SetProperty("Phone", facts.Customer.Phone);
        context.SetProperty("Customer", $"{facts.Customer.Name} · {facts.Vehicle.Plate} · {facts.Visit.Number}");
        WaitUntil(context, DueBookmarkName, new DateTimeOffset(first, TimeSpan.Zero));
    }

    private async ValueTask OnReplyAsync(ActivityExecutionContext context)
    {
        var body = context.ResumeInput.GetValueOrDefault("body")?.ToString() ?? "";
        if (ScoreIn(body) is not { } smsScore)
            return; // not an answer to the survey: keep waiting
        var callbackId = CallbackId(context);
        var phone = context.GetProperty<string>("Phone");
        var later = await _records.ReadAsync(context, async db =>
        {
            var sent = await db.Callbacks.AsNoTracking().Where(c => c.Id == callbackId).Select(c => c.SurveySentAt).FirstAsync(context.CancellationToken);
            return await db.Callbacks.AsNoTracking().AnyAsync(c => c.Id != callbackId && c.Status == CallbackStatus.Pending
                && (c.SurveySentAt > sent || (c.SurveySentAt == sent && string.Compare(c.Id, callbackId) > 0))
                && db.Visits.Any(v => v.Id == c.VisitId && db.Customers.Any(p => p.Id == v.CustomerId && p.Phone == phone)), context.CancellationToken);
        });
        if (later)
            return; // the answer belongs to the survey sent to this number since
        await FinishAsync(context, callbackId, smsScore, resolved: null, comments: body, agent: null);
    }

    private async ValueTask OnCallDoneAsync(ActivityExecutionContext context)
    {
        if (await _inbox.CompletedAsync(context) is not { } task)
            return;
        var values = new StepValues(context.ResumeInput.GetValueOrDefault("Values"));
        if (task.Outcome == "Reached")
        {
            await FinishAsync(context, CallbackId(context), (int)(values.Number("score") ?? 0), values.Text("resolved") is { } r ? r == "yes" : null, values.Text("comments"), task.CompletedBy);
            return;
        }
        await CallAgainOrSurveyAsync(context, CallbackId(context));
    }

    private async ValueTask AttemptAsync(ActivityExecutionContext context, string callbackId)
    {
        if (context.GetProperty<string>("Mode") == "sms")
        {
            await SurveyAsync(context, callbackId);
            return;
        }
        var calls = 0;
        await _records.WriteAsync(context, "callback:attempt", "Callback", callbackId, async (db, ct) => calls = ++(await db.Callbacks.FirstAsync(c => c.Id == callbackId, ct)).Attempts);
        context.SetProperty("Calls", calls);
        var now = DealershipRecords.Now(context);
        var closes = _records.DayAfter(now, 0, closing: true);
        var zh = context.GetProperty<string>("StaffLanguage") != "en";
        var (title, titleOther) = TaskSpec.Pick(!zh, $"满意度回访：{context.GetProperty<string>("Customer")}", $"Satisfaction callback: {context.GetProperty<string>("Customer")}");
        var (instructions, instructionsOther) = TaskSpec.Pick(!zh, "请以中立的方式询问客户对本次服务的评价，如实记录客户的评分和意见，不要引导客户打分。",
            "Ask the customer neutrally how the service went and record the score and comments exactly as given. Do not steer the answer.");
        _inbox.Open(context, new TaskSpec(title, instructions, zh ? "zh-CN" : "en", TaskForm.Parse(CallbackForm, null), context.GetProperty<string>("Role"),
            DueIn: closes > now.AddHours(1) ? closes - now : TimeSpan.FromHours(1))
        {
            TitleOther = titleOther,
            InstructionsOther = instructionsOther,
        });
    }

    /// <summary>After a call nobody answered: call again in store hours while calls are left before the last day closes; then the survey, or unreachable.</summary>
    private async ValueTask CallAgainOrSurveyAsync(ActivityExecutionContext context, string callbackId)
    {
        var next = _records.OpenFrom(DealershipRecords.Now(context) + context.GetProperty<TimeSpan>("RetryEvery"));
        if (context.GetProperty<int>("Calls") < context.GetProperty<int>("MaxCalls") && next < context.GetProperty<DateTime>("LastCallAt"))
        {
            WaitUntil(context, DueBookmarkName, new DateTimeOffset(next, TimeSpan.Zero));
            return;
        }
        await SurveyAsync(context, callbackId);
    }

    /// <summary>One SMS survey, when the customer accepts texts: its answer is awaited for the survey window, never asked twice.</summary>
    private async ValueTask SurveyAsync(ActivityExecutionContext context, string callbackId)
    {
        if (!context.GetProperty<bool>("CanSurvey"))
        {
            await GiveUpAsync(context, callbackId);
            return;
        }
        var now = DealershipRecords.Now(context);
        var sendAt = _records.OpenFrom(now);
        await _records.WriteAsync(context, "callback:survey", "Callback", callbackId, async (db, ct) =>
        {
            var row = await db.Callbacks.FirstAsync(c => c.Id == callbackId, ct);
            row.Mode = "sms";
            row.SurveySentAt = sendAt;
        });
        var phone = context.GetProperty<string>("Phone")!;
        Outbox.Sms(context, phone, MessagePayload.FromJson(context.GetProperty<string>("Survey")!), urgent: false, sendAt == now ? null : sendAt, marketing: true);
        Wait(context, SmsReplyStimulus.Name, new SmsReplyStimulus(phone), autoBurn: false);
        Wait(context, MessageUndeliveredStimulus.Name, new MessageUndeliveredStimulus(context.Workflow.InstanceId, context.Node.Id), autoBurn: false);
        WaitUntil(context, DeadlineBookmarkName, new DateTimeOffset(sendAt + context.GetProperty<TimeSpan>("SurveyWindow"), TimeSpan.Zero));
    }

    /// <summary>
    /// The survey could not reach the customer: a survey-only callback is made by phone instead (its calls, then
    /// unreachable); after the calls nobody answered, the customer is unreachable now rather than when the survey's
    /// window closes.
    /// </summary>
    private async ValueTask OnSurveyUndeliveredAsync(ActivityExecutionContext context)
    {
        var callbackId = CallbackId(context);
        context.ClearBookmarks();
        context.SetProperty("CanSurvey", false);
        if (context.GetProperty<string>("Mode") == "sms")
        {
            context.SetProperty("Mode", "call");
            await AttemptAsync(context, callbackId);
            return;
        }
        await GiveUpAsync(context, callbackId);
    }

    private async ValueTask GiveUpAsync(ActivityExecutionContext context, string callbackId)
    {
        await _records.WriteAsync(context, "callback:unreachable", "Callback", callbackId, async (db, ct) => (await db.Callbacks.FirstAsync(c => c.Id == callbackId, ct)).Status = CallbackStatus.Unreachable);
        context.ClearBookmarks();
        await context.CompleteAsync("Unreachable");
    }

    private async Task FinishAsync(ActivityExecutionContext context, string callbackId, int score, bool? resolved, string? comments, string? agent)
    {
        var escalate = score <= context.GetProperty<int>("EscalateAtOrBelow") || resolved == false;
        var now = DealershipRecords.Now(context);
        await _records.WriteAsync(context, "callback:done", "Callback", callbackId, async (db, ct) =>
        {
            var row = await db.Callbacks.FirstAsync(c => c.Id == callbackId, ct);
            row.Status = CallbackStatus.Done;
            row.Score = score;
            row.Resolved = resolved;
            row.Comments = comments;
            row.Agent = agent;
            row.Escalated = escalate;
            row.DoneAt = now;
        });
        context.Set(Score, score);
        context.ClearBookmarks();
        await context.CompleteAsync(resolved == false ? "NotResolved" : escalate ? "Escalate" : "Satisfied");
    }

    /// <summary>
    /// The score in a reply that is an answer to the survey: a bare score ("4", "4分", "4 stars") or a clear phrase
    /// ("满意", "very satisfied"); anything else ("你们4S店太差") is not a score and is left for people to read.
    /// </summary>
    public static int? ScoreIn(string reply)
    {
        var text = reply.Normalize(System.Text.NormalizationForm.FormKC).Trim().TrimEnd('。', '.', '!', '！', '~', ' ').ToLowerInvariant();
        if (ScoreRegex().Match(text) is { Success: true } m)
            return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return text switch
        {
            "非常满意" or "很满意" or "very satisfied" => 5,
            "满意" or "satisfied" => 4,
            "一般" or "还行" or "ok" or "okay" => 3,
            "不满意" or "dissatisfied" or "not satisfied" => 2,
            "非常不满意" or "很不满意" or "very dissatisfied" => 1,
            _ => null,
        };
    }

    private static string Fill(string template, VisitFacts facts) => Placeholders.Fill(template, new Dictionary<string, string>
    {
        ["Name"] = facts.Customer.Name,
        ["Number"] = facts.Visit.Number,
        ["Plate"] = facts.Vehicle.Plate ?? facts.Vehicle.Model ?? "",
    });

    [GeneratedRegex(@"^([1-5])\s*(分|星|points?|stars?|/5)?$")]
    private static partial Regex ScoreRegex();

    private const string CallbackForm = """
        { "fields": [
          { "name": "score", "type": "choice", "options": ["1", "2", "3", "4", "5"], "requiredFor": ["Reached"],
            "label": { "zh-CN": "客户评分（1–5，5为非常满意）", "en": "The customer's score (1–5, 5 = very satisfied)" } },
          { "name": "resolved", "type": "choice", "options": ["yes", "no"], "requiredFor": ["Reached"],
            "label": { "zh-CN": "问题是否已解决（yes/no）", "en": "Was the problem resolved (yes/no)?" } },
          { "name": "comments", "type": "multiline", "label": { "zh-CN": "客户意见（原话记录）", "en": "Comments (the customer's words)" } }
        ], "actions": ["Reached", "NoAnswer"] }
        """;
}
