using System.Net.Http.Json;
using System.Text.Json;
using Followup.Activities.Messaging;

namespace Followup.Host.Tests;

/// <summary>
/// The branches of the shipped visit beside the happy path, driven as staff and customers would: what the customer
/// receives on each, and what the visit's record says.
/// </summary>
[Collection(HangfireCollection.Name)]
public sealed class ProcessPathTests
{
    private static string S(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? "" : e.GetProperty(name).ToString();

    /// <summary>Words that would tell a customer they turned something down.</summary>
    private static readonly string[] Refusals = ["declin", "拒绝", "暂不需要", "not need"];

    private static async Task AssertNoRefusalToldAsync(ServiceDesk desk, string number)
    {
        foreach (var message in await desk.MessagesAsync(number))
            Assert.DoesNotContain(Refusals, r => ServiceDesk.Text(message).Contains(r, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<(string VisitId, string Number)> CheckedInAsync(ServiceDesk desk, int serial, string services = "OIL", string concerns = "")
    {
        var (_, vehicleId) = await desk.CustomerAsync($"Customer {serial}", $"+86 139 2000 {serial:D4}", null, "en", serial, 20000, $"苏E{serial:D5}");
        var visit = await desk.WalkInAsync(vehicleId);
        await desk.CheckInAsync(visit.Number, concerns, services);
        return visit;
    }

    [Fact]
    public async Task An_unanswered_estimate_goes_to_an_advisor_who_records_the_decision_taken_on_the_phone()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (visitId, number) = await CheckedInAsync(desk, 21, services: "OIL,WIPER");
        await desk.SentAsync(Channels.Sms, "your service estimate is ready", number);

        // A day without an answer: the car stays, an advisor is asked to call within 30 minutes.
        await desk.AdvanceAsync(TimeSpan.FromDays(1));
        var call = await desk.TaskAsync("wang", number, "estimateApproval");
        Assert.Contains("Customer 21", S(call, "title"), StringComparison.Ordinal);
        Assert.Equal("Reception", S((await desk.VisitAsync(visitId)).GetProperty("visit"), "status"));
        var page = System.Net.WebUtility.HtmlDecode(await (await desk.StaffAsync("wang")).GetStringAsync($"/inbox/{S(call, "id")}?lang=en"));
        Assert.Contains("Reached: record the decision</button>", page, StringComparison.Ordinal);
        Assert.Contains("Oil and oil filter change · ¥480.00", page, StringComparison.Ordinal);

        await desk.CompleteAsync("wang", number, "estimateApproval", "CustomerDecided", new { approved = "OIL", notes = "Wipers next time" });
        await desk.SentAsync(Channels.Sms, "should be ready by", number);
        await desk.TaskAsync("zhang", number, "handover");
        var record = await desk.VisitAsync(visitId);
        var approval = record.GetProperty("approvals").EnumerateArray().Single();
        Assert.Equal(("PartiallyApproved", "phone", "wang"), (S(approval, "decision"), S(approval, "decidedVia"), S(approval, "decidedBy")));
        var lines = record.GetProperty("estimates").EnumerateArray().Single().GetProperty("lines").EnumerateArray().ToDictionary(l => S(l, "lineKey"), l => S(l, "approved"));
        Assert.Equal(("True", "False"), (lines["OIL"], lines["WIPER"]));
        await AssertNoRefusalToldAsync(desk, number);
    }

    [Fact]
    public async Task A_customer_nobody_reaches_is_not_told_they_declined_and_the_car_is_not_delivered_until_handed_back()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (visitId, number) = await CheckedInAsync(desk, 22);
        await desk.AdvanceAsync(TimeSpan.FromDays(1));
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await desk.CompleteAsync("wang", number, "estimateApproval", "NotReached", new { notes = "No answer" });
            await desk.AdvanceAsync(TimeSpan.FromHours(1));
        }

        // Nobody reached: an advisor keeps the car; the visit is not delivered and the estimate is undecided, not declined.
        var keep = await desk.TaskAsync("wang", number, "noDecision");
        Assert.Contains("估价单未获答复，车辆未施工", S(keep, "title"), StringComparison.Ordinal);
        var record = await desk.VisitAsync(visitId);
        Assert.NotEqual("Delivered", S(record.GetProperty("visit"), "status"));
        var estimate = record.GetProperty("estimates").EnumerateArray().Single();
        Assert.Equal("TimedOut", S(estimate, "status"));
        Assert.All(estimate.GetProperty("lines").EnumerateArray(), l => Assert.Equal(JsonValueKind.Null, l.GetProperty("approved").ValueKind));
        Assert.DoesNotContain("returnCar", await desk.OpenTasksAsync("wang", number));
        await AssertNoRefusalToldAsync(desk, number);

        // The customer calls back: the estimate goes out again and the visit carries on from their answer.
        await desk.CompleteAsync("wang", number, "noDecision", "SendAgain", new { });
        Assert.Equal(2, (await desk.MessagesAsync(number)).Count(m => ServiceDesk.Text(m).Contains("your service estimate is ready", StringComparison.Ordinal)));
        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        await desk.TaskAsync("zhang", number, "handover");
        Assert.Equal("Approved", S((await desk.VisitAsync(visitId)).GetProperty("estimates").EnumerateArray().Single(), "status"));
    }

    [Fact]
    public async Task A_car_collected_without_an_answer_is_handed_back_and_the_visit_ends_with_its_reason()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (visitId, number) = await CheckedInAsync(desk, 23);
        await desk.AdvanceAsync(TimeSpan.FromDays(1));
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await desk.CompleteAsync("wang", number, "estimateApproval", "NotReached", new { });
            await desk.AdvanceAsync(TimeSpan.FromHours(1));
        }
        await desk.CompleteAsync("wang", number, "noDecision", "HandedBack", new { walkaround = "true" });
        var record = await Poll.UntilAsync(() => desk.VisitAsync(visitId), r => S(r.GetProperty("visit"), "status") == "Delivered", what: "the car handed back");
        Assert.Equal("TimedOut", S(record.GetProperty("estimates").EnumerateArray().Single(), "status"));
        Assert.Equal(JsonValueKind.Null, record.GetProperty("invoice").ValueKind);
        await AssertNoRefusalToldAsync(desk, number);
    }

    [Fact]
    public async Task Unanswered_additional_work_is_not_done_and_the_customer_is_not_told_they_declined_it()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (visitId, number) = await CheckedInAsync(desk, 24);
        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        await desk.CompleteAsync("zhang", number, "work", "AdditionalWorkFound", new { description = "Rear brake discs", reason = "Scored", labour = "200", parts = "600" });
        await desk.SentAsync(Channels.Sms, "our technician found additional work", number);
        await desk.AdvanceAsync(TimeSpan.FromHours(4));
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await desk.CompleteAsync("wang", number, "authorization", "NotReached", new { });
            await desk.AdvanceAsync(TimeSpan.FromHours(1));
        }
        // Back to the technician, who does only the approved work; the extra lines stay undecided for a later talk.
        await desk.TaskAsync("zhang", number, "work");
        var extra = (await desk.VisitAsync(visitId)).GetProperty("estimates").EnumerateArray().Single(e => S(e, "kind") == "AdditionalWork");
        Assert.Equal("TimedOut", S(extra, "status"));
        await AssertNoRefusalToldAsync(desk, number);
    }

    [Fact]
    public async Task Declined_additional_work_is_acknowledged_to_the_customer_who_declined_it()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, number) = await CheckedInAsync(desk, 25);
        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        await desk.CompleteAsync("zhang", number, "work", "AdditionalWorkFound", new { description = "Rear brake discs", reason = "Scored", labour = "200", parts = "600" });
        await desk.ApproveByLinkAsync(number, "our technician found additional work", decline: true);
        await desk.SentAsync(Channels.Sms, "we have noted the additional work you declined", number);
    }

    [Fact]
    public async Task Needs_with_no_priced_line_go_straight_to_the_workshop_without_an_approval()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (visitId, number) = await CheckedInAsync(desk, 26, services: "");
        await desk.TaskAsync("zhang", number, "handover");
        var record = await desk.VisitAsync(visitId);
        Assert.Empty(record.GetProperty("approvals").EnumerateArray());
        Assert.DoesNotContain(await desk.MessagesAsync(number), m => ServiceDesk.Text(m).Contains("estimate", StringComparison.Ordinal));
        Assert.Equal("Approved", S(record.GetProperty("estimates").EnumerateArray().Single(), "status"));
        await desk.SentAsync(Channels.Sms, "should be ready by", number);
    }
}
