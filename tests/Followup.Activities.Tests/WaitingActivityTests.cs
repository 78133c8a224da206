using Followup.Activities.Approvals;
using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Activities.Tasks;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Followup.Workflows.Tests.Json;

namespace Followup.Activities.Tests;

/// <summary>The activities that wait — for a person, the customer, a reply, a date — each with its timers on the fake clock.</summary>
public sealed class WaitingActivityTests
{
    private static string Visit(string type, params string[] inputs) =>
        Activity("step", type, string.Join(",", [Input("visitId", "String", ActivityHarness.VisitId), .. inputs]));

    private static readonly string Task = Activity("step", "Followup.HumanTask", string.Join(",",
        Input("titleEn", "String", "Check the car of {{ Variables.Name }}"), Input("language", "String", "en"),
        Input("form", "String", """{ "fields": [ { "name": "odometer", "label": { "en": "Odometer" }, "type": "number", "required": true } ] }"""),
        Input("actions", "String[]", "[\"Done\", \"CustomerLeft\"]", "Object"), Input("assigneeRole", "String", "Advisor"),
        Input("dueIn", "TimeSpan", "00:15:00"), Input("escalateToRole", "String", "Manager")));

    [Fact]
    public async Task HumanTask_OpensATask_CompletesWithTheChosenAction_AndItsRowCommitsWithTheStep()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var run = await h.RunAsync(Task, variables: """{ "id": "Name", "name": "Name", "typeName": "String", "value": "Broken {{ 7*7 }}" }""");
        var task = Assert.Single(await h.TasksAsync());
        Assert.Equal(("Check the car of Broken {{ 7*7 }}", "Advisor", new DateTime(2026, 3, 2, 1, 15, 0)), (task.Title, task.AssigneeRole, task.DueAt));

        Assert.Equal(TaskResult.Done, await h.CompleteTaskAsync("CustomerLeft", new Dictionary<string, string?> { ["odometer"] = "12000" }));
        Assert.Equal("CustomerLeft", await h.OutcomeAsync(run.InstanceId));
        var done = Assert.Single(await h.TasksAsync());
        Assert.Equal((HumanTaskStatus.Completed, "CustomerLeft", "wang"), (done.Status, done.Outcome, done.CompletedBy));
        Assert.Contains("12000", done.Result, StringComparison.Ordinal);
        Assert.Empty(h.Timers.Pending);

        // The task is done with its step: a second completion finds nothing to resume.
        var second = await h.Services.GetRequiredService<TaskService>().CompleteAsync(done.Id, new StaffMember("li", ["Advisor"]), "Done", new Dictionary<string, string?> { ["odometer"] = "1" }, "en", CancellationToken.None);
        Assert.Equal(TaskResult.AlreadyCompleted, second.Result);
    }

    [Fact]
    public async Task HumanTask_Overdue_GoesToTheEscalationRole_Once_AndStillCompletes()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var run = await h.RunAsync(Task);
        await h.AdvanceAsync(TimeSpan.FromMinutes(16));
        var task = Assert.Single(await h.TasksAsync());
        Assert.Equal(("Manager", (DateTime?)new DateTime(2026, 3, 2, 1, 16, 0)), (task.AssigneeRole, task.EscalatedAt));
        Assert.Equal("Suspended", (await h.InstanceAsync(run.InstanceId)).SubStatus);
        Assert.Equal(TaskResult.Done, await h.CompleteTaskAsync("Done", new Dictionary<string, string?> { ["odometer"] = "1" }, "liu", "Manager"));
        Assert.Equal("Finished", (await h.InstanceAsync(run.InstanceId)).SubStatus);
    }

    private static string Approval(string type, string lines = """[{ "id": "OIL", "description": "Oil change", "labour": 160, "parts": 320 }, { "id": "AIRF", "description": "Air filter", "labour": 60, "parts": 90 }]""") =>
        Activity("step", type, string.Join(",", Input("customerName", "String", "Li Wei"), Input("phone", "String", ActivityHarness.Phone), Input("language", "String", "en"),
            Input("lines", "String", lines), Input("expiresIn", "TimeSpan", "1.00:00:00"), Input("remindAfter", "TimeSpan", "04:00:00")));

    [Theory]
    [InlineData(new[] { "OIL", "AIRF" }, "Approved")]
    [InlineData(new[] { "AIRF" }, "PartiallyApproved")]
    [InlineData(new string[0], "Declined")]
    public async Task EstimateApproval_SendsTheLink_AndGoesOnWithWhatTheCustomerDecided(string[] lines, string outcome)
    {
        await using var h = await ActivityHarness.OpenAsync();
        var run = await h.RunAsync(Approval("Followup.EstimateApproval"));
        var approval = Assert.Single(await h.ApprovalsAsync());
        var sms = Assert.Single(await h.MessagesAsync());
        Assert.Matches(@"^Followup: Hello Li Wei, your service estimate is ready\. Please review and approve it: http://localhost:5080/s/[A-Za-z0-9]{8}$", MessagePayload.FromJson(sms.Payload).Text);
        Assert.Equal($"Followup: Hello Li Wei, your service estimate is ready. Please review and approve it: https://dealer.example/c/{approval.Id}", await h.TextAsync(sms));
        Assert.True(sms.Urgent);

        var decided = await h.Services.GetRequiredService<ApprovalService>().DecideAsync(approval.Id, lines, "customer", "link", "Li Wei", "203.0.113.1", "phone", CancellationToken.None);
        Assert.Equal(DecisionResult.Recorded, decided);
        Assert.Equal(outcome, await h.OutcomeAsync(run.InstanceId));
        var answered = Assert.Single(await h.ApprovalsAsync());
        Assert.Equal((ApprovalStatus.Answered, outcome, "link", "203.0.113.1"), (answered.Status, answered.Decision, answered.DecidedVia, answered.ClientIp));
        Assert.Equal(DecisionResult.AlreadyAnswered, await h.Services.GetRequiredService<ApprovalService>().DecideAsync(approval.Id, lines, "customer", "link", null, null, null, CancellationToken.None));
        Assert.Empty(h.Timers.Pending);
    }

    [Fact]
    public async Task AdditionalWorkAuthorization_RemindsOnce_ThenAnAdvisorCalls_AndTheDecisionOnThePhoneIsRecordedAsSuch()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var run = await h.RunAsync(Approval("Followup.AdditionalWorkAuthorization"));
        await h.AdvanceAsync(TimeSpan.FromHours(4));
        var texts = (await h.MessagesAsync()).Select(m => MessagePayload.FromJson(m.Payload).Text).ToList();
        Assert.Equal(2, texts.Count);
        Assert.Contains("Hello Li Wei, our technician found additional work.", texts[0], StringComparison.Ordinal);
        Assert.Contains("Hello Li Wei, a reminder to review the additional work:", texts[1], StringComparison.Ordinal);

        // The link expires unanswered: no outcome yet, an advisor's call task with the lines and their prices.
        await h.AdvanceAsync(TimeSpan.FromHours(20));
        Assert.Equal("Suspended", (await h.InstanceAsync(run.InstanceId)).SubStatus);
        var call = Assert.Single(await h.TasksAsync());
        Assert.Equal(("Advisor", "致电客户确认追加项目（第1/3次）：Li Wei · RO-2026-000001"), (call.AssigneeRole, call.Title));
        Assert.Equal(h.Clock.GetUtcNow().UtcDateTime.AddMinutes(30), call.DueAt);
        var form = TaskForm.FromJson(call.Form);
        Assert.Equal(["Oil change · ¥480.00", "Air filter · ¥150.00"], form.Fields[0].Options.Select(o => form.Fields[0].OptionText(o, "en")));
        Assert.Equal("Could not reach", form.ActionText(CustomerApproval.NotReached, "en"));
        // The link no longer works; the advisor's record of the call does.
        var approval = Assert.Single(await h.ApprovalsAsync());
        Assert.Equal(DecisionResult.Expired, await h.Services.GetRequiredService<ApprovalService>().DecideAsync(approval.Id, ["OIL"], "customer", "link", null, null, null, CancellationToken.None));
        await h.CompleteTaskAsync(CustomerApproval.Decided, new Dictionary<string, string?> { ["approved"] = "AIRF" });

        Assert.Equal("PartiallyApproved", await h.OutcomeAsync(run.InstanceId));
        var answered = Assert.Single(await h.ApprovalsAsync());
        Assert.Equal((ApprovalStatus.Answered, "PartiallyApproved", "phone", "wang", "[\"AIRF\"]"), (answered.Status, answered.Decision, answered.DecidedVia, answered.DecidedBy, answered.ApprovedLines));
        Assert.Equal(2, (await h.MessagesAsync()).Count);
        Assert.Empty(h.Timers.Pending);
    }

    [Fact]
    public async Task CustomerApproval_NobodyReached_AfterTheCalls_EndsTimedOut_WithNoLineDeclined_AndNothingSent()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var run = await h.RunAsync(Approval("Followup.EstimateApproval"));
        await h.AdvanceAsync(TimeSpan.FromDays(1));
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var call = Assert.Single(await h.TasksAsync(), t => t.Status == HumanTaskStatus.Open);
            Assert.Contains($"（第{attempt}/3次）", call.Title, StringComparison.Ordinal);
            await h.CompleteTaskAsync(CustomerApproval.NotReached, new Dictionary<string, string?>());
            if (attempt < 3)
            {
                Assert.DoesNotContain(await h.TasksAsync(), t => t.Status == HumanTaskStatus.Open);
                await h.AdvanceAsync(TimeSpan.FromHours(1));
            }
        }
        Assert.Equal("TimedOut", await h.OutcomeAsync(run.InstanceId));
        var approval = Assert.Single(await h.ApprovalsAsync());
        Assert.Equal((ApprovalStatus.TimedOut, null, null), (approval.Status, approval.Decision, approval.ApprovedLines));
        Assert.Equal(2, (await h.MessagesAsync()).Count); // the link and its reminder; nothing about a refusal
    }

    [Fact]
    public async Task CustomerApproval_AnsweredAtTheCounter_WhileAnAdvisorWasToCall_CancelsTheCall()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var run = await h.RunAsync(Approval("Followup.EstimateApproval"));
        await h.AdvanceAsync(TimeSpan.FromDays(1));
        var approval = Assert.Single(await h.ApprovalsAsync());
        Assert.Equal(DecisionResult.Recorded, await h.Services.GetRequiredService<ApprovalService>().DecideAsync(approval.Id, ["OIL", "AIRF"], "wang", "in-person", null, null, null, CancellationToken.None));
        Assert.Equal("Approved", await h.OutcomeAsync(run.InstanceId));
        Assert.Equal(HumanTaskStatus.Cancelled, Assert.Single(await h.TasksAsync()).Status);
    }

    [Fact]
    public async Task CustomerApproval_ToANumberThatSaidStop_SendsNoLink_AndTheAdvisorCallsAtOnce_OrWithoutACallRoleItEndsTimedOut()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.Services.GetRequiredService<ConsentStore>().SetConsentAsync(Channels.Sms, ActivityHarness.Phone, optedOut: true, "reply", h.Clock.GetUtcNow().UtcDateTime, CancellationToken.None);
        await h.RunAsync(Approval("Followup.EstimateApproval"));
        Assert.Empty(await h.MessagesAsync());
        Assert.StartsWith("无法向客户发送", Assert.Single(await h.TasksAsync()).Instructions, StringComparison.Ordinal); // the staff language is Chinese unless set

        await using var h2 = await ActivityHarness.OpenAsync();
        await h2.Services.GetRequiredService<ConsentStore>().SetConsentAsync(Channels.Sms, ActivityHarness.Phone, optedOut: true, "reply", h2.Clock.GetUtcNow().UtcDateTime, CancellationToken.None);
        var run = await h2.RunAsync(Approval("Followup.EstimateApproval").Replace("\"remindAfter\"", "\"callRole\": { \"typeName\": \"String\", \"expression\": { \"type\": \"Literal\", \"value\": \"\" } }, \"remindAfter\"", StringComparison.Ordinal));
        Assert.Empty(await h2.TasksAsync());
        await h2.AdvanceAsync(TimeSpan.FromDays(1));
        Assert.Equal("TimedOut", await h2.OutcomeAsync(run.InstanceId));
        Assert.Empty(await h2.MessagesAsync());
    }

    [Fact]
    public async Task CustomerApproval_WithoutACallRole_EndsTimedOut_WhenTheLinkExpires()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var run = await h.RunAsync(Approval("Followup.EstimateApproval").Replace("\"remindAfter\"", "\"callRole\": { \"typeName\": \"String\", \"expression\": { \"type\": \"Literal\", \"value\": \"\" } }, \"remindAfter\"", StringComparison.Ordinal));
        await h.AdvanceAsync(TimeSpan.FromDays(1));
        Assert.Equal("TimedOut", await h.OutcomeAsync(run.InstanceId));
        Assert.Empty(await h.TasksAsync());
    }

    [Fact]
    public async Task CustomerApproval_WithNoLine_GoesStraightOn_AndSendsNothing()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var (_, outcome) = await h.CompleteAsync(Approval("Followup.EstimateApproval", "[]"));
        Assert.Equal("Approved", outcome);
        Assert.Empty(await h.ApprovalsAsync());
        Assert.Empty(await h.MessagesAsync());
    }

    [Fact]
    public async Task OverrunAuthorization_SaysByHowMuchTheBillExceedsTheEstimate_AndWhy()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.RunAsync(Approval("Followup.OverrunAuthorization",
            """[{ "id": "OIL", "description": "Oil change", "reason": "approved at 480.00, now 530.00", "labour": 160, "parts": 370, "approvedBefore": 480 }, { "id": "extra-1", "description": "Washer fluid", "reason": "not on the approved estimate", "parts": 30 }]"""));
        var text = await h.TextAsync(Assert.Single(await h.MessagesAsync()));
        Assert.Contains("Hello Li Wei, your bill is ¥80.00 more than the estimate you approved: Oil change (approved at 480.00, now 530.00); Washer fluid (not on the approved estimate). Nothing beyond it is charged unless you agree. Please review it: https://dealer.example/c/", text, StringComparison.Ordinal);
        Assert.DoesNotContain("technician found", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerApproval_TextsAreInputs_AndACustomersNameIsNeverReadAsAPlaceholder()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.RunAsync(Approval("Followup.EstimateApproval").Replace("Li Wei", "{{ Link }}", StringComparison.Ordinal)
            .Replace("\"remindAfter\"", "\"requestEn\": { \"typeName\": \"String\", \"expression\": { \"type\": \"Literal\", \"value\": \"Dear {{ Name }}, {{ Total }} to approve here: {{ Link }} thanks\" } }, \"remindAfter\"", StringComparison.Ordinal));
        var text = await h.TextAsync(Assert.Single(await h.MessagesAsync()));
        var approval = Assert.Single(await h.ApprovalsAsync());
        Assert.EndsWith($"Dear {{{{ Link }}}}, ¥630.00 to approve here: https://dealer.example/c/{approval.Id} thanks", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerApproval_WithAnUnknownLine_IsRefused_AndTheStepKeepsWaiting()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var run = await h.RunAsync(Approval("Followup.EstimateApproval"));
        var approval = Assert.Single(await h.ApprovalsAsync());
        Assert.Equal(DecisionResult.Invalid, await h.Services.GetRequiredService<ApprovalService>().DecideAsync(approval.Id, ["GHOST"], "customer", "link", null, null, null, CancellationToken.None));
        Assert.Equal("Suspended", (await h.InstanceAsync(run.InstanceId)).SubStatus);
        Assert.Equal(ApprovalStatus.Pending, Assert.Single(await h.ApprovalsAsync()).Status);
    }

    private static async Task DeliverAsync(ActivityHarness h)
    {
        await using var db = await h.DbAsync();
        var visit = await db.Visits.FirstAsync();
        visit.Status = VisitStatus.Delivered;
        visit.DeliveredAt = h.Clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync();
    }

    // The harness's clock starts at 09:00 in Shanghai on Monday 2 March, when the store opens; the car is delivered then.
    private static readonly TimeSpan TwoHours = TimeSpan.FromHours(2);

    private static Task ReplyAsync(ActivityHarness h, string body) => h.Runtime.TriggerAsync(Service.SmsReplyStimulus.Name, new Service.SmsReplyStimulus(ActivityHarness.Phone),
        new TriggerOptions { StartNew = false, Input = new Dictionary<string, object?> { ["from"] = ActivityHarness.Phone, ["body"] = body } }, CancellationToken.None);

    [Fact]
    public async Task SatisfactionCallback_ByCall_OpensATaskWhenTheStoreOpensOnDayTwo_AndALowScoreEscalates()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await DeliverAsync(h);
        var run = await h.RunAsync(Visit("Followup.SatisfactionCallback", Input("staffLanguage", "String", "en")));
        await h.AdvanceAsync(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1));
        Assert.Empty(await h.TasksAsync());
        await h.AdvanceAsync(TimeSpan.FromMinutes(1)); // Wednesday 09:00
        var task = Assert.Single(await h.TasksAsync());
        Assert.Equal(("CallbackAgent", "Satisfaction callback: Li Wei · 沪A12345 · RO-2026-000001"), (task.AssigneeRole, task.Title));
        Assert.Equal(new DateTime(2026, 3, 4, 9, 0, 0, DateTimeKind.Utc), task.DueAt); // 17:00 in Shanghai, when the store closes

        await h.CompleteTaskAsync("Reached", new Dictionary<string, string?> { ["score"] = "2", ["resolved"] = "yes", ["comments"] = "Slow" }, "chen", "CallbackAgent");
        Assert.Equal("Escalate", await h.OutcomeAsync(run.InstanceId));
        await using var db = await h.DbAsync();
        var callback = await db.Callbacks.SingleAsync();
        Assert.Equal((CallbackStatus.Done, (int?)2, (bool?)true, "chen", true), (callback.Status, callback.Score, callback.Resolved, callback.Agent, callback.Escalated));
    }

    [Fact]
    public async Task SatisfactionCallback_AProblemNotResolved_GoesOutOnNotResolved_WhateverTheScore()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await DeliverAsync(h);
        var run = await h.RunAsync(Visit("Followup.SatisfactionCallback"));
        await h.AdvanceAsync(TimeSpan.FromDays(2));
        await h.CompleteTaskAsync("Reached", new Dictionary<string, string?> { ["score"] = "4", ["resolved"] = "no", ["comments"] = "Still squeaks" }, "chen", "CallbackAgent");
        Assert.Equal("NotResolved", await h.OutcomeAsync(run.InstanceId));
    }

    [Fact]
    public async Task SatisfactionCallback_ThreeUnansweredCalls_ThenOneSmsSurvey_WhoseReplyIsTheScore()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await DeliverAsync(h);
        var run = await h.RunAsync(Visit("Followup.SatisfactionCallback"));
        await h.AdvanceAsync(TimeSpan.FromDays(2));
        for (var call = 1; call <= 3; call++)
        {
            Assert.Single(await h.TasksAsync(), t => t.Status == HumanTaskStatus.Open);
            await h.CompleteTaskAsync("NoAnswer", new Dictionary<string, string?>(), "chen", "CallbackAgent");
            if (call < 3)
            {
                Assert.Empty(await h.MessagesAsync());
                await h.AdvanceAsync(TwoHours);
            }
        }
        var survey = MessagePayload.FromJson(Assert.Single(await h.MessagesAsync()).Payload).Text;
        Assert.StartsWith("Followup: Hello Li Wei, thank you for your recent service visit (沪A12345).", survey, StringComparison.Ordinal);
        Assert.EndsWith("Reply STOP to opt out.", survey, StringComparison.Ordinal); // a survey is not a service message
        await ReplyAsync(h, "Who is this?");
        Assert.Equal("Suspended", (await h.InstanceAsync(run.InstanceId)).SubStatus);
        await ReplyAsync(h, "5");
        Assert.Equal("Satisfied", await h.OutcomeAsync(run.InstanceId));
        await using var db = await h.DbAsync();
        var callback = await db.Callbacks.SingleAsync();
        Assert.Equal((CallbackStatus.Done, 3, "sms", (int?)5), (callback.Status, callback.Attempts, callback.Mode, callback.Score));
    }

    [Fact]
    public async Task SatisfactionCallback_CallsStopWhenTheStoreClosesOnDayThree_AndWithoutSmsConsentTheCustomerIsUnreachable()
    {
        await using var h = await ActivityHarness.OpenAsync(customer: c => c.SmsConsent = false);
        await DeliverAsync(h);
        var run = await h.RunAsync(Visit("Followup.SatisfactionCallback", Input("retryEvery", "TimeSpan", "1.00:00:00")));
        await h.AdvanceAsync(TimeSpan.FromDays(2) + TimeSpan.FromHours(7)); // the agent calls at 16:00 on day 2
        await h.CompleteTaskAsync("NoAnswer", new Dictionary<string, string?>(), "chen", "CallbackAgent");
        await h.AdvanceAsync(TimeSpan.FromDays(1)); // 16:00 on day 3
        await h.CompleteTaskAsync("NoAnswer", new Dictionary<string, string?>(), "chen", "CallbackAgent");
        // A third call would be on day 4, after the deadline: no survey without consent, so unreachable.
        Assert.Equal("Unreachable", await h.OutcomeAsync(run.InstanceId));
        Assert.Empty(await h.MessagesAsync());
        await using var db = await h.DbAsync();
        Assert.Equal((CallbackStatus.Unreachable, 2), ((await db.Callbacks.SingleAsync()).Status, (await db.Callbacks.SingleAsync()).Attempts));
    }

    [Fact]
    public async Task SatisfactionCallback_BySms_AReplyAfterTheSurveyWindow_IsNoScore()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await DeliverAsync(h);
        var run = await h.RunAsync(Visit("Followup.SatisfactionCallback", Input("mode", "String", "sms"), Input("surveyWindow", "TimeSpan", "1.00:00:00")));
        await h.AdvanceAsync(TimeSpan.FromDays(2));
        Assert.Single(await h.MessagesAsync());
        await h.AdvanceAsync(TimeSpan.FromDays(1));
        Assert.Equal("Unreachable", await h.OutcomeAsync(run.InstanceId));
        await ReplyAsync(h, "4");
        await using var db = await h.DbAsync();
        Assert.Equal((CallbackStatus.Unreachable, (int?)null), ((await db.Callbacks.SingleAsync()).Status, (await db.Callbacks.SingleAsync()).Score));
    }

    [Fact]
    public async Task SatisfactionCallback_AReplyAnswersOnlyTheLatestSurveySentToTheNumber()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await DeliverAsync(h);
        var first = await h.RunAsync(Visit("Followup.SatisfactionCallback", Input("mode", "String", "sms")));
        await h.AdvanceAsync(TimeSpan.FromDays(3)); // the first survey went out on day 2; the second, started late, goes out at once on day 3
        var second = await h.RunAsync(Visit("Followup.SatisfactionCallback", Input("mode", "String", "sms")));
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(2, (await h.MessagesAsync()).Count);
        await ReplyAsync(h, "2");
        Assert.Equal("Escalate", await h.OutcomeAsync(second.InstanceId));
        Assert.Equal("Suspended", (await h.InstanceAsync(first.InstanceId)).SubStatus);
    }

    [Fact]
    public async Task NextServiceReminder_RemindsBeforeTheDueDate_ThenCallsIfNothingIsBooked()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await DeliverAsync(h);
        var run = await h.RunAsync(Visit("Followup.NextServiceReminder", Input("intervalDays", "Int32", "30"), Input("noticeDays", "Int32", "7"), Input("followUpAfterDays", "Int32", "3")));
        await h.AdvanceAsync(TimeSpan.FromDays(22));
        Assert.Empty(await h.MessagesAsync());
        await h.AdvanceAsync(TimeSpan.FromDays(1));
        var sent = await h.MessagesAsync();
        Assert.Equal(["sms", "email"], sent.Select(m => m.Channel));
        Assert.Contains("https://dealer.example/c/book/vehicle-1", await h.TextAsync(sent[0]), StringComparison.Ordinal);
        Assert.Contains("https://dealer.example/c/book/vehicle-1", await h.TextAsync(sent[1]), StringComparison.Ordinal); // the email, the same link

        Assert.DoesNotContain("km", MessagePayload.FromJson(sent[0].Payload).Text, StringComparison.Ordinal); // no mileage known, none promised

        // Nothing booked: a call. The customer asks to be called again on the 30th, and that day cannot be reached.
        await h.AdvanceAsync(TimeSpan.FromDays(3));
        Assert.Single(await h.TasksAsync());
        await h.CompleteTaskAsync("Done", new Dictionary<string, string?> { ["result"] = "later", ["laterOn"] = "2026-03-30T10:00:00+08:00", ["notes"] = "Travelling" });
        await using (var db = await h.DbAsync())
        {
            var reminder = await db.Reminders.SingleAsync();
            Assert.Equal(("later", "Travelling", new DateTime(2026, 3, 30, 1, 0, 0, DateTimeKind.Utc)), (reminder.CallResult, reminder.CallNotes, reminder.CallBackOn)); // when the store opens that day
        }
        await h.AdvanceAsync(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1));
        Assert.Single(await h.TasksAsync());
        await h.AdvanceAsync(TimeSpan.FromMinutes(1)); // 09:00 on the 30th in Shanghai
        Assert.Equal(2, (await h.TasksAsync()).Count);
        await h.CompleteTaskAsync("Done", new Dictionary<string, string?> { ["result"] = "unreachable" });

        // Overdue (due on 1 April): a message two weeks after, another at a month, then the reminder lapses.
        await h.AdvanceAsync(TimeSpan.FromDays(16));
        Assert.Contains(await h.MessagesAsync(), m => MessagePayload.FromJson(m.Payload).Text.Contains("was due for service on 2026-04-01", StringComparison.Ordinal));
        Assert.Equal("Suspended", (await h.InstanceAsync(run.InstanceId)).SubStatus);
        await h.AdvanceAsync(TimeSpan.FromDays(16));
        Assert.Equal(2, (await h.MessagesAsync()).Count(m => m.Channel == "sms" && MessagePayload.FromJson(m.Payload).Text.Contains("was due for service", StringComparison.Ordinal)));
        Assert.Equal("FollowedUp", await h.OutcomeAsync(run.InstanceId));
        await using (var db = await h.DbAsync())
            Assert.Equal(ReminderStatus.Lapsed, (await db.Reminders.SingleAsync()).Status);
    }

    [Fact]
    public async Task NextServiceReminder_ACustomerWhoDeclinesOnThePhone_IsLeftInPeace()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await DeliverAsync(h);
        var run = await h.RunAsync(Visit("Followup.NextServiceReminder", Input("intervalDays", "Int32", "30"), Input("noticeDays", "Int32", "7"), Input("followUpAfterDays", "Int32", "3")));
        await h.AdvanceAsync(TimeSpan.FromDays(23));
        await h.AdvanceAsync(TimeSpan.FromDays(3));
        await h.CompleteTaskAsync("Done", new Dictionary<string, string?> { ["result"] = "declined", ["notes"] = "Sold the car" });
        Assert.Equal("FollowedUp", await h.OutcomeAsync(run.InstanceId));
        await h.AdvanceAsync(TimeSpan.FromDays(60));
        Assert.Equal(2, (await h.MessagesAsync()).Count); // the reminder's SMS and email only
        await using var db = await h.DbAsync();
        Assert.Equal((ReminderStatus.Declined, "declined"), ((await db.Reminders.SingleAsync()).Status, (await db.Reminders.SingleAsync()).CallResult));
    }

    [Fact]
    public async Task NextServiceReminder_OneReminderPerCar_ANewerOneSupersedesTheOlder_AndTheIntervalComesFromTheServiceDone()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await DeliverAsync(h);
        var older = await h.RunAsync(Visit("Followup.NextServiceReminder", Input("intervalDays", "Int32", "30"), Input("noticeDays", "Int32", "7")));
        await using (var db = await h.DbAsync())
        {
            db.Estimates.Add(new Estimate { Id = "estimate-oil", VisitId = ActivityHarness.VisitId, Kind = EstimateKind.Estimate, Status = EstimateStatus.Approved, CreatedAt = h.Clock.GetUtcNow().UtcDateTime,
                Lines = [new EstimateLine { EstimateId = "estimate-oil", LineKey = "OIL", Description = "Oil", Approved = true }] });
            await db.SaveChangesAsync();
        }
        var newer = await h.RunAsync(Visit("Followup.NextServiceReminder"));
        await h.AdvanceAsync(TimeSpan.FromDays(23));
        Assert.Equal("Superseded", await h.OutcomeAsync(older.InstanceId));
        Assert.Empty(await h.MessagesAsync());
        await using (var db = await h.DbAsync())
        {
            var reminders = await db.Reminders.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync();
            Assert.Equal([ReminderStatus.Superseded, ReminderStatus.Scheduled], reminders.Select(r => r.Status));
            Assert.Equal(h.Clock.GetUtcNow().UtcDateTime.AddDays(-23).AddDays(180), reminders[1].DueAt); // the oil change's 180 days, not the step's default
        }
        Assert.Equal("Suspended", (await h.InstanceAsync(newer.InstanceId)).SubStatus);
    }

    [Fact]
    public async Task NextServiceReminder_TheCarsOwnIntervalComesBeforeTheCatalogs()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await DeliverAsync(h);
        await DeclinedAtTheVisitAsync(h); // the oil change done: 180 days in the catalog
        await using (var db = await h.DbAsync())
            await db.Vehicles.ExecuteUpdateAsync(s => s.SetProperty(v => v.ServiceIntervalDays, 365).SetProperty(v => v.ServiceIntervalKm, 15000));
        await h.RunAsync(Visit("Followup.NextServiceReminder"));
        await using (var db = await h.DbAsync())
        {
            var reminder = await db.Reminders.SingleAsync(r => r.Kind == ReminderKind.Service);
            Assert.Equal(h.Clock.GetUtcNow().UtcDateTime.AddDays(365), reminder.DueAt);
        }
    }

    [Fact]
    public async Task NextServiceReminder_StopsWhenTheCustomerBooks_AndSendsNothingWithoutConsent()
    {
        await using var h = await ActivityHarness.OpenAsync(customer: c => (c.SmsConsent, c.EmailConsent) = (false, false));
        await DeliverAsync(h);
        var run = await h.RunAsync(Visit("Followup.NextServiceReminder", Input("intervalDays", "Int32", "30"), Input("noticeDays", "Int32", "7")));
        await h.AdvanceAsync(TimeSpan.FromDays(23));
        Assert.Equal("OptedOut", await h.OutcomeAsync(run.InstanceId));
        Assert.Empty(await h.MessagesAsync());

        await using var h2 = await ActivityHarness.OpenAsync();
        await DeliverAsync(h2);
        var booked = await h2.RunAsync(Visit("Followup.NextServiceReminder", Input("intervalDays", "Int32", "30"), Input("noticeDays", "Int32", "7")));
        await using (var db = await h2.DbAsync())
        {
            await db.Reminders.ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReminderStatus.Booked));
        }
        await h2.AdvanceAsync(TimeSpan.FromDays(23));
        Assert.Equal("Booked", await h2.OutcomeAsync(booked.InstanceId));
        Assert.Empty(await h2.MessagesAsync());
    }

    /// <summary>The visit's estimate: the oil change approved, the front brakes (safety) declined, the wipers never answered.</summary>
    private static async Task DeclinedAtTheVisitAsync(ActivityHarness h)
    {
        await using var db = await h.DbAsync();
        db.Estimates.Add(new Estimate { Id = "estimate-1", VisitId = ActivityHarness.VisitId, Kind = EstimateKind.Estimate, Status = EstimateStatus.PartiallyApproved, CreatedAt = h.Clock.GetUtcNow().UtcDateTime,
            Lines = [
                new EstimateLine { EstimateId = "estimate-1", LineKey = "OIL", Description = "Oil change", Approved = true },
                new EstimateLine { EstimateId = "estimate-1", LineKey = "WIPER", Description = "Wiper blades", Approved = null },
                new EstimateLine { EstimateId = "estimate-1", LineKey = "BRAKEF", Description = "Front brake pads", Approved = false, Safety = true }] });
        await db.SaveChangesAsync();
    }

    private static async Task<ReminderRecord> FollowUpRecordAsync(ActivityHarness h)
    {
        await using var db = await h.DbAsync();
        return await db.Reminders.SingleAsync(r => r.Kind == ReminderKind.DeclinedWork);
    }

    [Fact]
    public async Task DeclinedWorkFollowUp_WithNothingDeclined_EndsAtOnce_AndKeepsNoRecord()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await DeliverAsync(h);
        var (_, outcome) = await h.CompleteAsync(Visit("Followup.DeclinedWorkFollowUp"));
        Assert.Equal("NothingDeclined", outcome);
        await using var db = await h.DbAsync();
        Assert.Empty(await db.Reminders.ToListAsync());
    }

    [Fact]
    public async Task DeclinedWorkFollowUp_MessagesTheCustomerWhenTheStoreOpensOnTheDay_SafetyFirst_AndLapsesWhenNothingIsBooked()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await DeclinedAtTheVisitAsync(h);
        await DeliverAsync(h); // 09:00 Monday 2 March, Shanghai
        var run = await h.RunAsync(Visit("Followup.DeclinedWorkFollowUp", Input("afterDays", "Int32", "7")));
        await h.AdvanceAsync(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        Assert.Empty(await h.MessagesAsync());
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var sent = await h.MessagesAsync();
        Assert.Equal(["sms", "email"], sent.Select(m => m.Channel));
        var text = await h.TextAsync(sent[0]);
        Assert.Contains("we recommended work that is not done yet: Front brake pads, Wiper blades. Some of it concerns your safety on the road", text, StringComparison.Ordinal);
        Assert.Contains("https://dealer.example/c/book/vehicle-1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("declin", text, StringComparison.OrdinalIgnoreCase); // the wipers were never answered
        Assert.Equal(ReminderStatus.Sent, (await FollowUpRecordAsync(h)).Status);

        await h.AdvanceAsync(TimeSpan.FromDays(30));
        Assert.Equal("NotBooked", await h.OutcomeAsync(run.InstanceId));
        Assert.Equal(ReminderStatus.Lapsed, (await FollowUpRecordAsync(h)).Status);
        Assert.Equal(2, (await h.MessagesAsync()).Count);
    }

    [Fact]
    public async Task DeclinedWorkFollowUp_EndsBookedWhenTheCarIsBooked_AndDoesNotTouchTheServiceReminder()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await DeclinedAtTheVisitAsync(h);
        await DeliverAsync(h);
        var reminder = await h.RunAsync(Visit("Followup.NextServiceReminder"));
        var run = await h.RunAsync(Visit("Followup.DeclinedWorkFollowUp"));
        await h.AdvanceAsync(TimeSpan.FromDays(7));
        await using (var db = await h.DbAsync())
        {
            Assert.Equal([ReminderKind.DeclinedWork, ReminderKind.Service], (await db.Reminders.OrderBy(r => r.Kind).ToListAsync()).Select(r => r.Kind)); // one of each kind, both live
            await db.Reminders.Where(r => r.Kind == ReminderKind.DeclinedWork).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReminderStatus.Booked));
        }
        await h.AdvanceAsync(TimeSpan.FromDays(30));
        Assert.Equal("Booked", await h.OutcomeAsync(run.InstanceId));
        Assert.Equal("Suspended", (await h.InstanceAsync(reminder.InstanceId)).SubStatus);
    }

    [Fact]
    public async Task DeclinedWorkFollowUp_WithoutMarketingConsent_IsACallWhoseResultIsKept_AndNothingIsSent()
    {
        await using var h = await ActivityHarness.OpenAsync(customer: c => c.MarketingConsent = false);
        await DeclinedAtTheVisitAsync(h);
        await DeliverAsync(h);
        var run = await h.RunAsync(Visit("Followup.DeclinedWorkFollowUp"));
        await h.AdvanceAsync(TimeSpan.FromDays(7));
        var call = Assert.Single(await h.TasksAsync());
        Assert.Equal("Advisor", call.AssigneeRole);
        Assert.Contains("Front brake pads (safety), Wiper blades", call.Instructions, StringComparison.Ordinal);
        await h.CompleteTaskAsync("Done", new Dictionary<string, string?> { ["result"] = "declined", ["notes"] = "Will do it elsewhere" });
        Assert.Equal("NotBooked", await h.OutcomeAsync(run.InstanceId));
        var record = await FollowUpRecordAsync(h);
        Assert.Equal((ReminderStatus.Declined, "declined", "Will do it elsewhere"), (record.Status, record.CallResult, record.CallNotes));
        Assert.Empty(await h.MessagesAsync());
    }

    private static async Task<string> BookAsync(ActivityHarness h, DateTime slot)
    {
        await using var db = await h.DbAsync();
        var appointment = new Appointment { Id = "appointment-1", CustomerId = "customer-1", VehicleId = "vehicle-1", SlotAt = slot, Channel = "staff", CreatedAt = h.Clock.GetUtcNow().UtcDateTime };
        db.Appointments.Add(appointment);
        await db.SaveChangesAsync();
        return appointment.Id;
    }

    [Fact]
    public async Task AwaitArrival_EndsArrivedWhenCheckedIn_OrNoShowAfterTheGrace()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var id = await BookAsync(h, new DateTime(2026, 3, 2, 2, 0, 0));
        var wait = Activity("step", "Followup.AwaitArrival", Input("appointmentId", "String", id) + "," + Input("grace", "TimeSpan", "00:30:00"));
        var arrived = await h.RunAsync(wait);
        await h.Runtime.TriggerAsync(Service.AppointmentArrivedStimulus.Name, new Service.AppointmentArrivedStimulus(id), new TriggerOptions { StartNew = false }, CancellationToken.None);
        Assert.Equal("Arrived", await h.OutcomeAsync(arrived.InstanceId));

        var late = await h.RunAsync(wait);
        await h.AdvanceAsync(TimeSpan.FromMinutes(91));
        Assert.Equal("NoShow", await h.OutcomeAsync(late.InstanceId));
        await using var db = await h.DbAsync();
        Assert.Equal(AppointmentStatus.NoShow, (await db.Appointments.SingleAsync()).Status);
    }

    [Fact]
    public async Task AwaitArrival_OfAnAppointmentCancelledOrMovedUnderIt_EndsCancelled_OrWaitsForTheNewSlot_NeverNoShow()
    {
        // What a crash between saving the change and ending the appointment's workflow leaves: the wait still running.
        await using var h = await ActivityHarness.OpenAsync();
        var id = await BookAsync(h, new DateTime(2026, 3, 2, 2, 0, 0));
        var wait = Activity("step", "Followup.AwaitArrival", Input("appointmentId", "String", id) + "," + Input("grace", "TimeSpan", "00:30:00"));
        var moved = await h.RunAsync(wait);
        await using (var db = await h.DbAsync())
            await db.Appointments.ExecuteUpdateAsync(u => u.SetProperty(a => a.SlotAt, new DateTime(2026, 3, 3, 2, 0, 0)));
        await h.AdvanceAsync(TimeSpan.FromMinutes(91)); // the old slot's grace is over
        Assert.Equal("Suspended", (await h.InstanceAsync(moved.InstanceId)).SubStatus);
        await using (var db = await h.DbAsync())
        {
            Assert.Equal(AppointmentStatus.Booked, (await db.Appointments.SingleAsync()).Status);
            await db.Appointments.ExecuteUpdateAsync(u => u.SetProperty(a => a.Status, AppointmentStatus.Cancelled));
        }
        await h.AdvanceAsync(TimeSpan.FromDays(1)); // the new slot's grace is over too
        Assert.Equal("Cancelled", await h.OutcomeAsync(moved.InstanceId));
        await using (var db = await h.DbAsync())
            Assert.Equal(AppointmentStatus.Cancelled, (await db.Appointments.SingleAsync()).Status);
    }

    [Fact]
    public async Task SendSms_WritesOneMessageInTheCustomersLanguage_AndSkipsACustomerWithoutANumber()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var text = string.Join(",", Input("language", "String", "en"), Input("textZhCn", "String", "您好 {{ Variables.Name }}"), Input("textEn", "String", "Hello {{ Variables.Name }}"));
        await h.CompleteAsync(Activity("step", "Followup.SendSms", Input("to", "String", "138 0013 8000") + "," + text), variables: """{ "id": "Name", "name": "Name", "typeName": "String", "value": "{{ 7*7 }}" }""");
        var sms = Assert.Single(await h.MessagesAsync());
        Assert.Equal((Channels.Sms, ActivityHarness.Phone, "Followup: Hello {{ 7*7 }}"), (sms.Channel, sms.Recipient, MessagePayload.FromJson(sms.Payload).Text));

        await h.CompleteAsync(Activity("step", "Followup.SendSms", Input("to", "String", "") + "," + text));
        Assert.Single(await h.MessagesAsync());
        var bad = await h.RunAsync(Activity("step", "Followup.SendSms", Input("to", "String", "12345") + "," + text));
        Assert.Contains("'12345' is not a valid phone number", bad.Incidents.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendEmail_HasASubjectAndHtml_AndAMarketingOneIsMarkedSo()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.CompleteAsync(Activity("step", "Followup.SendEmail", string.Join(",", Input("to", "String", "li.wei@example.com"), Input("language", "String", "en"),
            Input("subjectEn", "String", "Your car"), Input("bodyEn", "String", "Hello,\n\nIt is due <soon>."), Input("transactional", "Boolean", "false"))));
        var email = MessagePayload.FromJson(Assert.Single(await h.MessagesAsync()).Payload);
        Assert.Equal(("Your car", false), (email.Subject, email.Transactional));
        Assert.Equal("<html><body><p>Hello,</p><p>It is due &lt;soon&gt;.</p></body></html>", email.Html);
    }
}
