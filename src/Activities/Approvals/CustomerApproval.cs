using System.Text.Json;
using Followup.Activities.Messaging;
using Followup.Activities.Service;
using Followup.Activities.Tasks;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Approvals;

/// <summary>
/// Asks the customer to approve priced lines from a signed link sent by SMS, or takes the decision an advisor records
/// (in person, by phone); reminds once. No answer is not a refusal: when the link expires an advisor is asked to call
/// the customer and record what they decide on the phone, a few attempts apart; only when nobody reaches them does
/// the step end TimedOut, and nothing tells the customer they declined. Outcomes: Approved, PartiallyApproved,
/// Declined, TimedOut. With no line to approve (a recall or a free check) it goes straight on as Approved.
/// </summary>
public abstract class CustomerApproval : WaitingActivity
{
    private readonly ICustomerLinks _links;
    private readonly ApprovalStore _approvals;
    private readonly TaskInbox _inbox;
    private readonly StoreOptions _store;

    protected CustomerApproval(ICustomerLinks links, ApprovalStore approvals, TaskInbox inbox, IOptions<StoreOptions> store)
    {
        (_links, _approvals, _inbox, _store) = (links, approvals, inbox, store.Value);
        When(BookmarkName, OnDecidedAsync);
        When(ReminderBookmarkName, OnReminderDueAsync);
        When(TimeoutBookmarkName, OnTimeoutAsync);
        When(CallAgainBookmarkName, OpenCallAsync);
        When(Messaging.MessageUndeliveredStimulus.Name, OnUndeliveredAsync);
        When(HumanTask.BookmarkName, OnCallDoneAsync);
        When(HumanTask.OverdueBookmarkName, inbox.EscalateAsync);
    }

    public const string BookmarkName = "Followup.CustomerApproval";
    public const string ReminderBookmarkName = "Followup.CustomerApproval.Reminder";
    public const string TimeoutBookmarkName = "Followup.CustomerApproval.Timeout";
    public const string CallAgainBookmarkName = "Followup.CustomerApproval.CallAgain";

    /// <summary>The call task's actions.</summary>
    public const string Decided = "CustomerDecided";
    public const string NotReached = "NotReached";

    protected abstract string Kind { get; }

    /// <summary>The standard texts; <c>{{ Name }}</c>, <c>{{ Total }}</c>, <c>{{ Items }}</c> and <c>{{ Link }}</c> are filled in.</summary>
    protected abstract (string Zh, string En) Request { get; }
    protected abstract (string Zh, string En) Reminder { get; }

    /// <summary>What the advisor's call is about, for the task's title: "the estimate", "the additional work".</summary>
    protected abstract (string Zh, string En) Subject { get; }

    [Input(Description = "The customer's name, shown on the page and required to sign.")]
    public Input<string> CustomerName { get; set; } = new(null);

    [Input(Description = "The customer's mobile number for the link.")]
    public Input<string> Phone { get; set; } = new(null);

    [Input(Description = "The customer's email (with their consent): the link goes there when no text can reach them, or when the text is refused.")]
    public Input<string> Email { get; set; } = new(null);

    [Input(Description = "The customer's language (zh-CN or en).", DefaultValue = "zh-CN")]
    public Input<string> Language { get; set; } = new(null);

    [Input(Description = "The lines: [{ \"id\", \"description\", \"reason\", \"labour\", \"parts\", \"hours\" }].", UIHint = "json-editor")]
    public Input<string> Lines { get; set; } = new(null);

    [Input(Description = "How long the link is valid before an advisor is asked to call.", DefaultValue = "1.00:00:00")]
    public Input<TimeSpan> ExpiresIn { get; set; } = new(null);

    [Input(Description = "When to remind the customer once if there is no answer yet.", DefaultValue = "04:00:00")]
    public Input<TimeSpan> RemindAfter { get; set; } = new(null);

    [Input(DisplayName = "Request SMS (中文)", Description = "Empty for the standard text. {{ Name }}, {{ Total }}, {{ Items }} and {{ Link }} are filled in; the link is added at the end when the text has no {{ Link }}.", UIHint = "multiline")]
    public Input<string> RequestZhCn { get; set; } = new(null);

    [Input(DisplayName = "Request SMS (English)", Description = "Empty for the standard text. {{ Name }}, {{ Total }}, {{ Items }} and {{ Link }} are filled in; the link is added at the end when the text has no {{ Link }}.", UIHint = "multiline")]
    public Input<string> RequestEn { get; set; } = new(null);

    [Input(DisplayName = "Reminder SMS (中文)", Description = "Empty for the standard text; the same placeholders.", UIHint = "multiline")]
    public Input<string> ReminderZhCn { get; set; } = new(null);

    [Input(DisplayName = "Reminder SMS (English)", Description = "Empty for the standard text; the same placeholders.", UIHint = "multiline")]
    public Input<string> ReminderEn { get; set; } = new(null);

    [Input(Description = "The role asked to call the customer when the link expires unanswered; empty to end TimedOut at once.", UIHint = "dropdown", Options = ["Advisor", "Manager", "CallbackAgent", ""], DefaultValue = "Advisor")]
    public Input<string> CallRole { get; set; } = new(null);

    [Input(Description = "Time allowed for each call (the task's SLA).", DefaultValue = "00:30:00")]
    public Input<TimeSpan?> CallDueIn { get; set; } = new(null);

    [Input(Description = "Calls before the customer counts as not reached.", DefaultValue = 3)]
    public Input<int?> CallAttempts { get; set; } = new(null);

    [Input(Description = "The wait between two calls that did not reach the customer.", DefaultValue = "01:00:00")]
    public Input<TimeSpan?> CallAgainAfter { get; set; } = new(null);

    [Input(Description = "The language of the advisor's call task (zh-CN or en).", DefaultValue = "zh-CN")]
    public Input<string> StaffLanguage { get; set; } = new(null);

    [Output(Description = "The ids of the lines the customer approved.")]
    public Output<object>? ApprovedLines { get; set; }

    [Output(Description = "The approval's id (its decision, who made it and how, is kept on it).")]
    public Output<object>? ApprovalId { get; set; }

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var lines = ApprovalContent.Parse(context.Get(Lines));
        if (lines.Count == 0)
        {
            // Nothing priced to the customer: nothing to ask.
            context.Set(ApprovedLines, Array.Empty<string>());
            context.Workflow.AddJournal(context, "Skipped", "no line to approve");
            await context.CompleteAsync("Approved");
            return;
        }
        var now = context.Clock.GetUtcNow();
        var expires = now + context.Get(ExpiresIn);
        var id = context.Workflow.NewId();
        var bookmark = Wait(context, BookmarkName, new { ApprovalId = id });
        // A customer who cannot be texted (no consent to service texts, or STOP) gets no link: the advisor calls at once
        // (without a role to call, the step ends TimedOut when the link would have expired).
        var textable = context.Get(Phone) is { Length: > 0 } phone
            && !await context.GetRequiredService<ConsentStore>().BlocksAsync(Channels.Sms, phone, marketing: false, context.CancellationToken);
        var callRole = context.Get(CallRole) ?? "Advisor";
        var callNow = !textable && !string.IsNullOrWhiteSpace(callRole);
        var remind = now + context.Get(RemindAfter);
        if (textable && remind < expires)
            WaitUntil(context, ReminderBookmarkName, remind, new { ApprovalId = id });
        if (textable && !string.IsNullOrWhiteSpace(callRole))
            Wait(context, Messaging.MessageUndeliveredStimulus.Name, new Messaging.MessageUndeliveredStimulus(context.Workflow.InstanceId, context.Node.Id), autoBurn: false);
        if (!callNow)
            WaitUntil(context, TimeoutBookmarkName, expires, new { ApprovalId = id });
        var language = context.Get(Language) == "en" ? "en" : "zh-CN";
        var name = context.Get(CustomerName) ?? "";
        // What later bursts need (inputs are evaluated when the step starts).
        context.SetProperty("ApprovalId", id);
        context.SetProperty("Phone", textable ? context.Get(Phone) : null);
        context.SetProperty("Email", context.Get(Email) is { Length: > 0 } email ? email : null);
        context.SetProperty("Reminder", Text(language, context.Get(ReminderZhCn), context.Get(ReminderEn), Reminder));
        context.SetProperty("CallRole", callRole);
        context.SetProperty("CallDueIn", context.Get(CallDueIn) ?? TimeSpan.FromMinutes(30));
        context.SetProperty("CallAttempts", Math.Max(1, context.Get(CallAttempts) ?? 3));
        context.SetProperty("CallAgainAfter", context.Get(CallAgainAfter) ?? TimeSpan.FromHours(1));
        context.SetProperty("StaffLanguage", context.Get(StaffLanguage) == "en" ? "en" : "zh-CN");
        context.Set(ApprovalId, id);
        var record = new ApprovalRecord
        {
            Id = id,
            Kind = Kind,
            InstanceId = context.Workflow.InstanceId,
            CorrelationId = context.Workflow.CorrelationId,
            BookmarkId = bookmark.Id,
            CustomerName = name,
            Language = language,
            Content = ApprovalContent.Serialize(lines),
            ExpiresAt = expires.UtcDateTime,
            CreatedAt = now.UtcDateTime,
        };
        context.Workflow.Records.Insert(record);
        SendLink(context, Text(language, context.Get(RequestZhCn), context.Get(RequestEn), Request), ApprovalSms.RequestKind(Kind), id, name, language, lines, urgent: true);
        if (callNow)
        {
            context.SetProperty("NoLink", true);
            OpenCall(context, record);
        }
    }

    private static string Text(string language, string? zh, string? en, (string Zh, string En) standard) =>
        language == "en" ? (string.IsNullOrWhiteSpace(en) ? standard.En : en) : (string.IsNullOrWhiteSpace(zh) ? standard.Zh : zh);

    private Task<ApprovalRecord?> ApprovalAsync(ActivityExecutionContext context) =>
        _approvals.FindAsync(context.GetProperty<string>("ApprovalId")!, context.CancellationToken);

    private async ValueTask OnReminderDueAsync(ActivityExecutionContext context)
    {
        if (await ApprovalAsync(context) is { Status: ApprovalStatus.Pending } approval)
            SendLink(context, context.GetProperty<string>("Reminder")!, ApprovalSms.ReminderKind(Kind), approval.Id, approval.CustomerName, approval.Language, ApprovalContent.Lines(approval.Content), urgent: false);
    }

    /// <summary>The link expired unanswered: an advisor calls, unless the step is set to end at once.</summary>
    private async ValueTask OnTimeoutAsync(ActivityExecutionContext context)
    {
        if (await ApprovalAsync(context) is not { Status: ApprovalStatus.Pending } approval)
            return;
        if (string.IsNullOrWhiteSpace(context.GetProperty<string>("CallRole")))
        {
            await NotReachedAsync(context, approval);
            return;
        }
        // Calls already under way (the text could not be delivered) go on as they are.
        if (context.GetProperty<int>("CallAttempt") == 0)
            await OpenCallAsync(context);
    }

    /// <summary>The text with the link could not reach the customer: an advisor calls now rather than when the link expires.</summary>
    private async ValueTask OnUndeliveredAsync(ActivityExecutionContext context)
    {
        if (context.GetProperty<int>("CallAttempt") > 0 || await ApprovalAsync(context) is not { Status: ApprovalStatus.Pending } approval)
            return;
        context.SetProperty("Undelivered", true);
        OpenCall(context, approval);
    }

    private async ValueTask OpenCallAsync(ActivityExecutionContext context)
    {
        if (await ApprovalAsync(context) is { Status: ApprovalStatus.Pending } approval)
            OpenCall(context, approval);
    }

    private void OpenCall(ActivityExecutionContext context, ApprovalRecord approval)
    {
        var attempt = context.GetProperty<int>("CallAttempt") + 1;
        context.SetProperty("CallAttempt", attempt);
        var staff = context.GetProperty<string>("StaffLanguage")!;
        var en = staff == "en";
        var lines = ApprovalContent.Lines(approval.Content);
        var (subjectZh, subjectEn) = (Subject.Zh, Subject.En);
        var field = new TaskField("approved", "multichoice", false, [.. lines.Select(l => l.Id)], "客户同意的项目（未勾选即为客户不同意）", "Lines the customer approved (unticked: declined)")
        {
            OptionLabels = lines.ToDictionary(l => l.Id, l => new OptionLabel($"{l.Description} · {_store.Money(l.Price)}", $"{l.Description} · {_store.Money(l.Price)}")),
        };
        var notes = new TaskField("notes", "multiline", false, [], "通话记录", "Notes of the call");
        var form = new TaskForm([field, notes], [Decided, NotReached])
        {
            ActionLabels = new Dictionary<string, OptionLabel>
            {
                [Decided] = new("已联系上，记录客户决定", "Reached: record the decision"),
                [NotReached] = new("未联系上", "Could not reach"),
            },
        };
        var max = context.GetProperty<int>("CallAttempts");
        var who = $"{approval.CustomerName} · {context.Workflow.CorrelationId}";
        var (title, titleOther) = TaskSpec.Pick(en, $"致电客户确认{subjectZh}（第{attempt}/{max}次）：{who}", $"Call the customer about {subjectEn} ({attempt}/{max}): {who}");
        var (instructions, instructionsOther) = context.GetProperty<bool>("Undelivered")
            ? TaskSpec.Pick(en, $"发给客户的{subjectZh}短信未能送达（号码有误、已退订或被运营商拒收）。请致电客户，逐项说明项目和价格，只勾选客户在电话中明确同意的项目；未同意的项目不施工。联系不上请选择“未联系上”。",
                $"The text about {subjectEn} could not be delivered (a wrong number, an opt-out, or refused by the carrier). Call the customer, go through each line and its price, and tick exactly the lines they approve on the phone. Nothing is done on a line they do not approve; if they cannot be reached, say so.")
            : context.GetProperty<bool>("NoLink")
            ? TaskSpec.Pick(en, $"无法向客户发送{subjectZh}链接（客户未同意接收短信）。请致电客户，逐项说明项目和价格，只勾选客户在电话中明确同意的项目；未同意的项目不施工。联系不上请选择“未联系上”。",
                $"The customer cannot be sent a link about {subjectEn} (no consent to texts). Call them, go through each line and its price, and tick exactly the lines they approve on the phone. Nothing is done on a line they do not approve; if they cannot be reached, say so.")
            : TaskSpec.Pick(en, $"客户未通过链接答复{subjectZh}。请致电客户，逐项说明项目和价格，只勾选客户在电话中明确同意的项目；未同意的项目不施工。联系不上请选择“未联系上”，系统不会告知客户其“已拒绝”。",
                $"The customer has not answered the link about {subjectEn}. Call them, go through each line and its price, and tick exactly the lines they approve on the phone. Nothing is done on a line they do not approve; if they cannot be reached, say so — they are not told they declined anything.");
        _inbox.Open(context, new TaskSpec(title, instructions, staff, form, context.GetProperty<string>("CallRole"), DueIn: context.GetProperty<TimeSpan>("CallDueIn"))
        {
            TitleOther = titleOther,
            InstructionsOther = instructionsOther,
        });
    }

    private async ValueTask OnCallDoneAsync(ActivityExecutionContext context)
    {
        if (await _inbox.CompletedAsync(context) is not { } task || await ApprovalAsync(context) is not { Status: ApprovalStatus.Pending } approval)
            return;
        if (task.Outcome == Decided)
        {
            var chosen = new StepValues(context.ResumeInput.GetValueOrDefault(TaskDecision.Values)).List("approved");
            Record(context, approval, new ApprovalDecision(chosen, task.CompletedBy ?? "staff", "phone", null, null, null));
            await FinishAsync(context, approval);
            return;
        }
        if (context.GetProperty<int>("CallAttempt") < context.GetProperty<int>("CallAttempts"))
        {
            WaitUntil(context, CallAgainBookmarkName, context.Clock.GetUtcNow() + context.GetProperty<TimeSpan>("CallAgainAfter"));
            return;
        }
        await NotReachedAsync(context, approval);
    }

    /// <summary>Nobody reached the customer: the step ends TimedOut; the lines stay undecided, not declined.</summary>
    private static async ValueTask NotReachedAsync(ActivityExecutionContext context, ApprovalRecord approval)
    {
        approval.Status = ApprovalStatus.TimedOut;
        context.Workflow.Records.Update(approval);
        context.ClearBookmarks();
        await context.CompleteAsync("TimedOut");
    }

    private async ValueTask OnDecidedAsync(ActivityExecutionContext context)
    {
        if (await ApprovalAsync(context) is not { } approval)
            return;
        if (approval.Status == ApprovalStatus.Pending && context.ResumeInput.GetValueOrDefault(ApprovalDecision.InputName) is ApprovalDecision decision)
            Record(context, approval, decision);
        // Decided on the link or at the counter while an advisor was to call: the call is no longer needed.
        await _inbox.CancelOpenAsync(context);
        await FinishAsync(context, approval);
    }

    private async ValueTask FinishAsync(ActivityExecutionContext context, ApprovalRecord approval)
    {
        var approved = approval.ApprovedLines is null ? [] : JsonSerializer.Deserialize<string[]>(approval.ApprovedLines) ?? [];
        context.Set(ApprovedLines, approved);
        context.Set(ApprovalId, approval.Id);
        context.ClearBookmarks();
        var total = ApprovalContent.Lines(approval.Content).Count;
        await context.CompleteAsync(approved.Length == 0 ? "Declined" : approved.Length == total ? "Approved" : "PartiallyApproved");
    }

    /// <summary>The decision, written with the burst that carries the workflow on.</summary>
    private static void Record(ActivityExecutionContext context, ApprovalRecord approval, ApprovalDecision decision)
    {
        var lines = ApprovalContent.Lines(approval.Content);
        var approved = lines.Select(l => l.Id).Where(decision.ApprovedLineIds.Contains).ToArray();
        approval.Status = ApprovalStatus.Answered;
        approval.Decision = approved.Length == 0 ? "Declined" : approved.Length == lines.Count ? "Approved" : "PartiallyApproved";
        approval.ApprovedLines = JsonSerializer.Serialize(approved);
        approval.DecidedBy = decision.DecidedBy;
        approval.DecidedVia = decision.Via;
        approval.SignedName = decision.SignedName;
        approval.ClientIp = decision.ClientIp;
        approval.UserAgent = decision.UserAgent;
        approval.DecidedAt = context.Clock.GetUtcNow().UtcDateTime;
        context.Workflow.Records.Update(approval);
    }

    /// <summary>The link to the approval page, short (<see cref="ShortLinks"/>), by SMS as the request or the reminder kind.</summary>
    private void SendLink(ActivityExecutionContext context, string template, string kind, string approvalId, string name, string language, IReadOnlyList<ApprovalLine> lines, bool urgent)
    {
        var (phone, email) = (context.GetProperty<string>("Phone"), context.GetProperty<string>("Email"));
        if (phone is null && email is null)
            return;
        var link = ShortLinks.For(context, _links.LinkFor(approvalId), ICustomerLinks.ApprovalLinkLifetime);
        var total = _store.Money(ApprovalSms.Total(lines));
        var text = Placeholders.Fill(template, new Dictionary<string, string>
        {
            ["Name"] = name,
            ["Total"] = total,
            ["Items"] = string.Join(language == "en" ? "; " : "；", lines.Select(l => string.IsNullOrWhiteSpace(l.Reason) ? l.Description : $"{l.Description} ({l.Reason})")),
            ["Link"] = link,
        });
        if (!Placeholders.Uses(template, "Link"))
            text = $"{text}{(language == "en" ? " " : "")}{link}";
        Outbox.SmsOrEmail(context, phone, email, new MessagePayload(language, text).As(kind, ApprovalSms.Values(name, total, link)), urgent);
    }
}
