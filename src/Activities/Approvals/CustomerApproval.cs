using System.Globalization;
using System.Text.Json;
using Followup.Activities.Messaging;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Approvals;

/// <summary>
/// Asks the customer to approve priced lines from a signed link sent by SMS, or takes the decision an advisor records
/// (in person, by phone); reminds once; times out. Outcomes: Approved, PartiallyApproved, Declined, TimedOut.
/// </summary>
public abstract class CustomerApproval : WaitingActivity
{
    private readonly ICustomerLinks _links;
    private readonly ApprovalStore _approvals;

    protected CustomerApproval(ICustomerLinks links, ApprovalStore approvals)
    {
        (_links, _approvals) = (links, approvals);
        When(BookmarkName, OnDecidedAsync);
        When(ReminderBookmarkName, OnReminderDueAsync);
        When(TimeoutBookmarkName, OnTimeoutAsync);
    }

    public const string BookmarkName = "Followup.CustomerApproval";
    public const string ReminderBookmarkName = "Followup.CustomerApproval.Reminder";
    public const string TimeoutBookmarkName = "Followup.CustomerApproval.Timeout";

    protected abstract string Kind { get; }
    protected abstract (string Zh, string En) Request { get; }
    protected abstract (string Zh, string En) Reminder { get; }

    [Input(Description = "The customer's name, shown on the page and required to sign.")]
    public Input<string> CustomerName { get; set; } = new(null);

    [Input(Description = "The customer's mobile number for the link.")]
    public Input<string> Phone { get; set; } = new(null);

    [Input(Description = "The customer's language (zh-CN or en).", DefaultValue = "zh-CN")]
    public Input<string> Language { get; set; } = new(null);

    [Input(Description = "The lines: [{ \"id\", \"description\", \"reason\", \"labour\", \"parts\", \"hours\" }].", UIHint = "json-editor")]
    public Input<string> Lines { get; set; } = new(null);

    [Input(Description = "How long the link is valid before the step times out.", DefaultValue = "1.00:00:00")]
    public Input<TimeSpan> ExpiresIn { get; set; } = new(null);

    [Input(Description = "When to remind the customer once if there is no answer yet.", DefaultValue = "04:00:00")]
    public Input<TimeSpan> RemindAfter { get; set; } = new(null);

    [Output(Description = "The ids of the lines the customer approved.")]
    public Output<object>? ApprovedLines { get; set; }

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var lines = ApprovalContent.Parse(context.Get(Lines));
        var now = context.Clock.GetUtcNow();
        var expires = now + context.Get(ExpiresIn);
        var id = context.Workflow.NewId();
        var bookmark = Wait(context, BookmarkName, new { ApprovalId = id });
        var remind = now + context.Get(RemindAfter);
        if (remind < expires)
            WaitUntil(context, ReminderBookmarkName, remind, new { ApprovalId = id });
        WaitUntil(context, TimeoutBookmarkName, expires, new { ApprovalId = id });
        context.SetProperty("ApprovalId", id);
        context.SetProperty("Phone", context.Get(Phone));
        var language = context.Get(Language) == "en" ? "en" : "zh-CN";
        var name = context.Get(CustomerName) ?? "";
        context.Workflow.Records.Insert(new ApprovalRecord
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
        });
        SendLink(context, Request, id, name, language, urgent: true);
        return ValueTask.CompletedTask;
    }

    private Task<ApprovalRecord?> ApprovalAsync(ActivityExecutionContext context) =>
        _approvals.FindAsync(context.GetProperty<string>("ApprovalId")!, context.CancellationToken);

    private async ValueTask OnReminderDueAsync(ActivityExecutionContext context)
    {
        if (await ApprovalAsync(context) is { Status: ApprovalStatus.Pending } approval)
            SendLink(context, Reminder, approval.Id, approval.CustomerName, approval.Language, urgent: false);
    }

    private async ValueTask OnTimeoutAsync(ActivityExecutionContext context)
    {
        if (await ApprovalAsync(context) is not { Status: ApprovalStatus.Pending } approval)
            return;
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
        var approved = approval.ApprovedLines is null ? [] : JsonSerializer.Deserialize<string[]>(approval.ApprovedLines) ?? [];
        context.Set(ApprovedLines, approved);
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

    private void SendLink(ActivityExecutionContext context, (string Zh, string En) template, string approvalId, string name, string language, bool urgent)
    {
        // Inputs are evaluated when the step starts; the reminder comes in a later burst and reads what was kept.
        if (context.GetProperty<string>("Phone") is not { Length: > 0 } phone)
            return;
        var text = string.Format(CultureInfo.InvariantCulture, language == "en" ? template.En : template.Zh, name, _links.LinkFor(approvalId));
        Outbox.Sms(context, phone, new MessagePayload(language, text), urgent);
    }
}
