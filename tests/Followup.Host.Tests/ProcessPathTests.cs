using System.Net.Http.Json;
using System.Text.Json;
using Followup.Activities.Messaging;

namespace Followup.Host.Tests;

/// <summary>
/// The branches of the shipped visit beside the happy path, driven as staff and customers would: what the customer
/// receives on each, and what the visit's record says.
/// </summary>
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

    /// <summary>The estimate approved, the car in the workshop, and the technician finds worn brake discs.</summary>
    private static async Task ExtraWorkFoundAsync(ServiceDesk desk, string number)
    {
        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        await desk.CompleteAsync("zhang", number, "work", "AdditionalWorkFound", new { description = "Rear brake discs", reason = "Scored", labour = "200", parts = "600" });
    }

    /// <summary>The advisor calls about an approval three times, an hour apart, and reaches nobody.</summary>
    private static async Task NobodyReachedAsync(ServiceDesk desk, string number, string activityId)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await desk.CompleteAsync("wang", number, activityId, "NotReached", new { notes = "No answer" });
            await desk.AdvanceAsync(TimeSpan.FromHours(1));
        }
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
        await NobodyReachedAsync(desk, number, "estimateApproval");

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
        await NobodyReachedAsync(desk, number, "estimateApproval");
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
        await ExtraWorkFoundAsync(desk, number);
        await desk.SentAsync(Channels.Sms, "our technician found additional work", number);
        await desk.AdvanceAsync(TimeSpan.FromHours(4));
        await NobodyReachedAsync(desk, number, "authorization");
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
        await ExtraWorkFoundAsync(desk, number);
        await desk.ApproveByLinkAsync(number, "our technician found additional work", decline: true);
        await desk.SentAsync(Channels.Sms, "we have noted the additional work you declined", number);
    }

    [Fact]
    public async Task Declined_and_unanswered_safety_work_is_marked_on_the_visit_and_the_invoice()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (visitId, number) = await CheckedInAsync(desk, 26, services: "OIL,BRAKEF");
        await desk.ApproveByLinkAsync(number, "your service estimate is ready", lines: ["OIL"]); // the front brake pads declined
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        await desk.CompleteAsync("zhang", number, "work", "AdditionalWorkFound", new { description = "Headlight bulb", reason = "Left low beam out", safety = "true", labour = "50", parts = "80" });
        await desk.AdvanceAsync(TimeSpan.FromHours(4));
        await NobodyReachedAsync(desk, number, "authorization"); // the headlight never answered
        await desk.CompleteAsync("zhang", number, "work", "WorkDone", new { });
        await desk.CompleteAsync("zhou", number, "qualityCheck", "Passed", new { });

        var record = await desk.VisitAsync(visitId);
        var lines = record.GetProperty("estimates").EnumerateArray().SelectMany(e => e.GetProperty("lines").EnumerateArray()).ToDictionary(l => S(l, "description"), l => l.GetProperty("safety").GetBoolean());
        Assert.Equal((false, true, true), (lines["Oil and oil filter change"], lines["Front brake pads"], lines["Headlight bulb"]));
        Assert.Equal("Customer declined safety-related work: Front brake pads, Headlight bulb", S(record.GetProperty("invoice"), "declinedSafety"));
        var page = System.Net.WebUtility.HtmlDecode(await (await desk.StaffAsync("wang")).GetStringAsync($"/visits/{number}?lang=en"));
        Assert.Contains("⚠ Customer declined safety-related work: Front brake pads, Headlight bulb", page, StringComparison.Ordinal);
        Assert.Contains("On the invoice: Customer declined safety-related work", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invoice_without_declined_safety_work_says_nothing_of_it()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (visitId, number) = await CheckedInAsync(desk, 27, services: "OIL,BRAKEF");
        await RepairAsync(desk, number);
        Assert.Equal("", S((await desk.VisitAsync(visitId)).GetProperty("invoice"), "declinedSafety"));
        Assert.DoesNotContain("safety-related", await (await desk.StaffAsync("wang")).GetStringAsync($"/visits/{number}?lang=en"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_car_that_comes_in_again_closes_its_reminder_and_the_new_visit_keeps_the_only_live_one()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (visitId, number) = await CheckedInAsync(desk, 28);
        await desk.RepairAndDeliverAsync(number);
        var reminder = (await desk.VisitAsync(visitId)).GetProperty("reminders").EnumerateArray().Single();
        Assert.Equal("Scheduled", S(reminder, "status"));

        // A walk-in a month later, before the reminder went out: the old reminder is closed, nothing is sent for it.
        await desk.AdvanceAsync(TimeSpan.FromDays(30));
        var vehicleId = S((await desk.VisitAsync(visitId)).GetProperty("visit"), "vehicleId");
        await desk.WalkInAsync(vehicleId);
        Assert.Equal("Superseded", S((await desk.VisitAsync(visitId)).GetProperty("reminders").EnumerateArray().Single(), "status"));
        await desk.AdvanceAsync(TimeSpan.FromDays(170));
        Assert.Contains("service-reminder Finished", await Poll.UntilAsync(() => desk.InstancesAsync(number), s => s.Contains("service-reminder Finished", StringComparison.Ordinal), what: "the old reminder to end"), StringComparison.Ordinal);
        Assert.DoesNotContain(await desk.MessagesAsync(number), m => ServiceDesk.Text(m).Contains("due for service", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Declined_work_joins_the_service_reminder_and_is_raised_again_when_the_car_comes_back()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (visitId, number) = await CheckedInAsync(desk, 29, services: "OIL,WIPER,BRAKEF");
        await desk.RepairAndDeliverAsync(number, approved: ["OIL"]);

        // The reminder names what was left, the brakes (safety) first.
        await desk.AdvanceAsync(TimeSpan.FromDays(167));
        var reminder = await desk.SentAsync(Channels.Sms, "due for service around", number);
        Assert.Contains("We can also do the work we recommended last time: Front brake pads, Wiper blades.", ServiceDesk.Text(reminder), StringComparison.Ordinal);

        // The car comes back: every task page of the new visit shows it to the advisor.
        var vehicleId = S((await desk.VisitAsync(visitId)).GetProperty("visit"), "vehicleId");
        var (_, next) = await desk.WalkInAsync(vehicleId);
        var reception = await desk.TaskAsync("wang", next, "reception");
        var page = System.Net.WebUtility.HtmlDecode(await (await desk.StaffAsync("wang")).GetStringAsync($"/inbox/{S(reception, "id")}?lang=en"));
        Assert.Contains("Not done at the last visit: Front brake pads (safety), Wiper blades", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Declined_work_is_followed_up_a_week_after_delivery_and_a_booking_from_it_counts_on_the_dashboard()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (visitId, number) = await CheckedInAsync(desk, 31, services: "OIL,WIPER,BRAKEF");
        await desk.RepairAndDeliverAsync(number, approved: ["OIL"]);
        var followUp = (await desk.VisitAsync(visitId)).GetProperty("reminders").EnumerateArray().Single(r => S(r, "kind") == "DeclinedWork");
        Assert.Equal("Scheduled", S(followUp, "status"));

        await desk.AdvanceAsync(TimeSpan.FromDays(8));
        var sms = await desk.SentAsync(Channels.Sms, "we recommended work that is not done yet: Front brake pads, Wiper blades.", number);
        Assert.Contains("Reply STOP to opt out", ServiceDesk.Text(sms), StringComparison.Ordinal); // marketing: its opt-out line
        await desk.BookByLinkAsync(sms);

        followUp = (await desk.VisitAsync(visitId)).GetProperty("reminders").EnumerateArray().Single(r => S(r, "kind") == "DeclinedWork");
        Assert.Equal("Booked", S(followUp, "status"));
        await desk.AdvanceAsync(TimeSpan.FromDays(31));
        Assert.Contains("declined-work Finished", await Poll.UntilAsync(() => desk.InstancesAsync(number), s => s.Contains("declined-work Finished", StringComparison.Ordinal), what: "the follow-up to end"), StringComparison.Ordinal);
        var manager = await desk.StaffAsync("liu");
        var kpis = await manager.GetFromJsonAsync<JsonElement>("/api/kpis?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z");
        Assert.Equal((1, 1), (kpis.GetProperty("declinedWorkBooked").GetProperty("count").GetInt32(), kpis.GetProperty("declinedWorkBooked").GetProperty("of").GetInt32()));
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

    [Fact]
    public async Task A_warranty_decision_is_recorded_on_the_concern_and_covered_lines_cost_the_customer_nothing()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, vehicleId) = await desk.CustomerAsync("Customer 27", "+86 139 2000 0027", null, "en", 27, 20000, "苏E00027");
        var (visitId, number) = await desk.WalkInAsync(vehicleId);
        await desk.CompleteAsync("wang", number, "reception", "Done", new { greeted = "true" });
        await desk.CompleteAsync("wang", number, "preInspection", "Done", new { odometer = "20000", fuel = "1/2", covers = "true", wash = "no", waiting = "wait", acknowledged = "true" });
        await desk.CompleteAsync("wang", number, "needs", "Done", new { concerns = "Engine warning light", services = "OIL", warranty = "NeedsDecision", signed = "true" });
        await desk.CompleteAsync("liu", number, "warrantyDecision", "Covered", new { decision = "Sensor fault under the 3-year warranty", claim = "CLM-2026-0042" });

        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        await desk.CompleteAsync("zhang", number, "work", "WorkDone", new { });
        await desk.CompleteAsync("zhou", number, "qualityCheck", "Passed", new { });
        var ready = await desk.SentAsync(Channels.Sms, "is ready and has passed its quality check", number);
        Assert.Contains("Amount due: ¥480.00", ServiceDesk.Text(ready), StringComparison.Ordinal); // the oil service only

        var record = await desk.VisitAsync(visitId);
        var concern = record.GetProperty("concerns").EnumerateArray().Single(c => S(c, "text") == "Engine warning light");
        Assert.Equal(("Covered", "Sensor fault under the 3-year warranty", "CLM-2026-0042"), (S(concern, "warranty"), S(concern, "warrantyNote"), S(concern, "claimRef")));
        var lines = record.GetProperty("invoice").GetProperty("lines").EnumerateArray().ToDictionary(l => S(l, "lineKey"));
        Assert.Equal(("Warranty", 0m, 150m), (S(lines["diag-1"], "payType"), lines["diag-1"].GetProperty("price").GetDecimal(), lines["diag-1"].GetProperty("labour").GetDecimal()));
        Assert.Equal(("Customer", 480m), (S(lines["OIL"], "payType"), lines["OIL"].GetProperty("price").GetDecimal()));
        Assert.Equal(480m, record.GetProperty("invoice").GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task A_warranty_refused_leaves_the_lines_to_the_customer()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, vehicleId) = await desk.CustomerAsync("Customer 28", "+86 139 2000 0028", null, "en", 28, 20000, "苏E00028");
        var (visitId, number) = await desk.WalkInAsync(vehicleId);
        await desk.CompleteAsync("wang", number, "reception", "Done", new { greeted = "true" });
        await desk.CompleteAsync("wang", number, "preInspection", "Done", new { odometer = "20000", fuel = "1/2", covers = "true", wash = "no", waiting = "wait", acknowledged = "true" });
        await desk.CompleteAsync("wang", number, "needs", "Done", new { concerns = "Door rattle", services = "", warranty = "NeedsDecision", signed = "true" });
        await desk.CompleteAsync("liu", number, "warrantyDecision", "NotCovered", new { decision = "Damage from an accident" });
        await desk.SentAsync(Channels.Sms, "your service estimate is ready", number);
        var record = await desk.VisitAsync(visitId);
        Assert.Equal("NotCovered", S(record.GetProperty("concerns").EnumerateArray().Single(), "warranty"));
        var line = record.GetProperty("estimates").EnumerateArray().Single().GetProperty("lines").EnumerateArray().Single();
        Assert.Equal(("Customer", 150m), (S(line, "payType"), line.GetProperty("price").GetDecimal()));
    }

    /// <summary>From the approved estimate to a passed quality check, the customer having left the car (no wash).</summary>
    private static async Task RepairAsync(ServiceDesk desk, string number)
    {
        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        await desk.CompleteAsync("zhang", number, "work", "WorkDone", new { });
        await desk.CompleteAsync("zhou", number, "qualityCheck", "Passed", new { });
    }

    /// <summary>A walk-in at 10:00 in the store (the fake clock starts at closing time), who leaves the car for an oil service.</summary>
    private static async Task<(string VisitId, string Number)> LeftTheCarAsync(ServiceDesk desk, int serial)
    {
        await desk.AdvanceAsync(TimeSpan.FromHours(17));
        var (_, vehicleId) = await desk.CustomerAsync($"Customer {serial}", $"+86 139 2000 {serial:D4}", null, "en", serial, 20000, $"苏E{serial:D5}");
        var visit = await desk.WalkInAsync(vehicleId);
        await desk.CompleteAsync("wang", visit.Number, "reception", "Done", new { greeted = "true" });
        await desk.CompleteAsync("wang", visit.Number, "preInspection", "Done", new { odometer = "20000", fuel = "1/2", covers = "true", wash = "no", waiting = "leave", acknowledged = "true" });
        await desk.CompleteAsync("wang", visit.Number, "needs", "Done", new { concerns = "", services = "OIL", warranty = "NotCovered", signed = "true" });
        return visit;
    }

    [Fact]
    public async Task The_ready_notice_comes_after_the_bill_is_reconciled_with_the_amount_due_and_the_opening_hours()
    {
        await using var desk = await ServiceDesk.OpenAsync(h => (h.Settings["Store:Address"], h.Settings["Store:OpensAt"], h.Settings["Store:ClosesAt"]) = ("88 Huaihai Road", "08:30", "18:00"));
        var (_, number) = await LeftTheCarAsync(desk, 29);
        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        // An extra charge: no "ready" until the customer has agreed to the bill.
        await desk.CompleteAsync("zhang", number, "work", "WorkDone", new { extraDescription = "Washer fluid", extraParts = "30" });
        await desk.CompleteAsync("zhou", number, "qualityCheck", "Passed", new { });
        await desk.SentAsync(Channels.Sms, "more than the estimate you approved", number);
        Assert.DoesNotContain(await desk.MessagesAsync(number), m => ServiceDesk.Text(m).Contains("passed its quality check", StringComparison.Ordinal));
        await desk.ApproveByLinkAsync(number, "more than the estimate you approved");
        var ready = await desk.SentAsync(Channels.Sms, "is ready and has passed its quality check", number);
        Assert.EndsWith("Amount due: ¥510.00. You can pick it up during our opening hours, 08:30–18:00, at 88 Huaihai Road.", ServiceDesk.Text(ready), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_car_ready_after_closing_is_announced_when_the_store_opens_unless_the_customer_waits_on_site()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, number) = await LeftTheCarAsync(desk, 30);
        // 10:00 in Shanghai; the customer approves in the evening, after the store closed at 17:00, and the work is done late.
        await desk.AdvanceAsync(TimeSpan.FromHours(8)); // 18:00 in the store
        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        await desk.CompleteAsync("zhang", number, "work", "WorkDone", new { });
        await desk.CompleteAsync("zhou", number, "qualityCheck", "Passed", new { });
        await desk.TaskAsync("wang", number, "settlement");
        var held = (await desk.MessagesAsync(number)).Single(m => ServiceDesk.Text(m).Contains("passed its quality check", StringComparison.Ordinal));
        Assert.Equal((OutboxStatus.Held, new DateTime(2026, 3, 4, 1, 0, 0)), (held.Status, held.NotBefore)); // 09:00 the next morning
        Assert.DoesNotContain(desk.TwilioBodies(), b => b.Contains("passed its quality check", StringComparison.Ordinal));
        await desk.AdvanceAsync(TimeSpan.FromHours(15)); // 09:00
        await desk.SentAsync(Channels.Sms, "is ready and has passed its quality check", number);
    }

    [Fact]
    public async Task A_customer_waiting_in_the_lounge_is_told_at_once_even_after_closing()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, number) = await CheckedInAsync(desk, 31); // waits in the lounge; 17:00 in the store, closing time
        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        await desk.CompleteAsync("zhang", number, "work", "WorkDone", new { });
        await desk.CompleteAsync("zhou", number, "qualityCheck", "Passed", new { });
        await desk.SentAsync(Channels.Sms, "is ready and has passed its quality check", number);
    }

    [Fact]
    public async Task Approved_additional_work_moves_the_promised_time_and_the_customer_is_told_the_new_one()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (visitId, number) = await LeftTheCarAsync(desk, 32);
        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        var first = S((await desk.VisitAsync(visitId)).GetProperty("visit"), "promisedAt");
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        await desk.CompleteAsync("zhang", number, "work", "AdditionalWorkFound", new { description = "Front brake pads", reason = "Worn to 2 mm", hours = "2", labour = "300", parts = "520" });
        await desk.ApproveByLinkAsync(number, "our technician found additional work");
        var told = await desk.SentAsync(Channels.Sms, "will now be ready by", number);
        var promised = (await desk.VisitAsync(visitId)).GetProperty("visit").GetProperty("promisedAt").GetDateTime();
        Assert.True(promised > DateTime.Parse(first, System.Globalization.CultureInfo.InvariantCulture), $"{promised} after {first}");
        Assert.Contains(TimeZoneInfo.ConvertTimeFromUtc(promised, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), ServiceDesk.Text(told), StringComparison.Ordinal);
        await desk.TaskAsync("zhang", number, "work");
    }

    [Fact]
    public async Task A_failed_quality_check_is_checked_by_someone_else_sends_the_car_back_and_tells_a_later_time()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (visitId, number) = await LeftTheCarAsync(desk, 33);
        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        await desk.AdvanceAsync(TimeSpan.FromHours(2)); // the first promise has passed
        await desk.CompleteAsync("zhang", number, "work", "WorkDone", new { });

        // The technician who did the work neither sees nor may complete the check; its SLA is 30 minutes.
        Assert.DoesNotContain("qualityCheck", await desk.OpenTasksAsync("zhang", number));
        var check = await desk.TaskAsync("zhou", number, "qualityCheck");
        var refused = await (await desk.StaffAsync("zhang")).PostAsJsonAsync($"/api/tasks/{S(check, "id")}/complete", new { action = "Passed", values = new { } });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Someone other than zhang", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(S(check, "dueAt")));

        await desk.CompleteAsync("zhou", number, "qualityCheck", "Failed", new { notes = "Oil leak at the filter", reworkHours = "1" });
        await desk.SentAsync(Channels.Sms, "will now be ready by", number);
        await desk.TaskAsync("zhang", number, "work");
        Assert.Equal("InWorkshop", S((await desk.VisitAsync(visitId)).GetProperty("visit"), "status"));
    }

    [Fact]
    public async Task Workshop_steps_have_deadlines_and_an_overdue_one_goes_to_the_manager()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, number) = await CheckedInAsync(desk, 34); // waits in the lounge: settlement and delivery have deadlines too
        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        var work = await desk.TaskAsync("zhang", number, "work");
        Assert.False(string.IsNullOrEmpty(S(work, "dueAt")));
        await desk.AdvanceAsync(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));
        var overdue = await desk.TaskAsync("liu", number, "work");
        Assert.Equal("Manager", S(overdue, "assigneeRole"));
        await desk.CompleteAsync("liu", number, "work", "WorkDone", new { });
        await desk.CompleteAsync("zhou", number, "qualityCheck", "Passed", new { });
        Assert.False(string.IsNullOrEmpty(S(await desk.TaskAsync("wang", number, "settlement"), "dueAt")));
    }

    [Fact]
    public async Task A_customer_who_left_the_car_has_no_settlement_deadline_running_before_they_come()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, number) = await LeftTheCarAsync(desk, 35);
        await RepairAsync(desk, number);
        Assert.Equal("", S(await desk.TaskAsync("wang", number, "settlement"), "dueAt"));
    }

    [Fact]
    public async Task Every_sms_is_signed_with_the_store_and_service_messages_carry_no_opt_out_line()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, number) = await CheckedInAsync(desk, 36);
        await RepairAsync(desk, number);
        await desk.SentAsync(Channels.Sms, "passed its quality check", number);
        var bodies = desk.TwilioBodies();
        Assert.NotEmpty(bodies);
        Assert.All(bodies, b => Assert.StartsWith("Pudong VW: ", b, StringComparison.Ordinal));
        Assert.All(bodies, b => Assert.DoesNotContain("opt out", b, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unsubscribing_from_reminders_leaves_service_messages_going_and_stop_ends_them_all()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, number) = await CheckedInAsync(desk, 37);
        var phone = "+8613920000037";
        var web = desk.Host.CreateClient();
        Task<HttpResponseMessage> Reply(string sid, string body) => TwilioRequests.PostSignedAsync(web, "http://localhost:5080", "/twilio/inbound",
            new Dictionary<string, string> { ["MessageSid"] = sid, ["From"] = phone, ["To"] = ServiceDesk.TwilioFrom, ["Body"] = body }, "process-test-token");

        Assert.Equal(System.Net.HttpStatusCode.OK, (await Reply("SM-c1", "取消")).StatusCode); // no appointment to cancel: nothing changes
        Assert.False(await desk.Host.Consents.IsOptedOutAsync(Channels.Sms, phone, CancellationToken.None));
        var unsubscribed = await Reply("SM-c2", "请退订。");
        Assert.Contains("服务通知", await unsubscribed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await desk.Host.Consents.IsOptedOutAsync(Channels.Marketing(Channels.Sms), phone, CancellationToken.None));
        var customer = (await desk.Api.GetFromJsonAsync<JsonElement>($"/api/customers?search={Uri.EscapeDataString(phone)}")).GetProperty("items").EnumerateArray().Single();
        Assert.False(customer.GetProperty("marketingConsent").GetBoolean());

        // The estimate and the promised time still reach the customer: they are about the car in the workshop.
        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        await desk.SentAsync(Channels.Sms, "should be ready by", number);

        // STOP ends every text.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Reply("SM-c3", "STOP")).StatusCode);
        Assert.True(await desk.Host.Consents.IsOptedOutAsync(Channels.Sms, phone, CancellationToken.None));
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        await desk.CompleteAsync("zhang", number, "work", "AdditionalWorkFound", new { description = "Rear brake discs", reason = "Scored", labour = "200", parts = "600" });
        // No link can reach them now: the advisor calls about the authorisation at once, and nothing is texted.
        await desk.TaskAsync("wang", number, "authorization");
        Assert.DoesNotContain(await desk.MessagesAsync(number), m => ServiceDesk.Text(m).Contains("our technician found additional work", StringComparison.Ordinal));
        Assert.DoesNotContain(desk.TwilioBodies(), b => b.Contains("our technician found additional work", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_customer_without_marketing_consent_gets_service_messages_but_no_reminder_or_survey()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var created = await desk.Api.PostAsJsonAsync("/api/customers", new { name = "Customer 38", phone = "+86 139 2000 0038", language = "en", smsConsent = true });
        var customer = await created.Content.ReadFromJsonAsync<JsonElement>();
        var customerId = customer.GetProperty("id").GetString()!;
        Assert.False(customer.GetProperty("marketingConsent").GetBoolean()); // never assumed
        var vehicle = await desk.Api.PostAsJsonAsync("/api/vehicles", new { customerId, vin = ServiceDesk.Vin(38), plate = "苏E00038", model = "Lavida", year = 2022, odometer = 20000 });
        var (visitId, number) = await desk.WalkInAsync((await vehicle.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        await desk.CheckInAsync(number, "", "OIL");
        await desk.SentAsync(Channels.Sms, "your service estimate is ready", number);
        await desk.RepairAndDeliverAsync(number);

        await desk.AdvanceAsync(TimeSpan.FromDays(200));
        Assert.DoesNotContain(await desk.MessagesAsync(number), m => ServiceDesk.Text(m).Contains("due for service", StringComparison.Ordinal)
            || ServiceDesk.Text(m).Contains("reply with a score", StringComparison.Ordinal));
        var record = await desk.VisitAsync(visitId);
        Assert.Equal("call", S(record.GetProperty("callbacks").EnumerateArray().Single(), "mode"));
        Assert.Equal("OptedOut", S(record.GetProperty("reminders").EnumerateArray().Single(), "status"));
    }

    [Fact]
    public async Task A_customer_registered_without_consent_gets_no_sms_and_an_advisor_calls_about_the_estimate_at_once()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var customer = await desk.Api.PostAsJsonAsync("/api/customers", new { name = "No Consent", phone = "+86 139 2000 0038", language = "en" });
        var created = await customer.Content.ReadFromJsonAsync<JsonElement>();
        var customerId = created.GetProperty("id").GetString();
        Assert.False(created.GetProperty("smsConsent").GetBoolean()); // never assumed
        var vehicle = await desk.Api.PostAsJsonAsync("/api/vehicles", new { customerId, vin = ServiceDesk.Vin(38), plate = "苏E00038", model = "Lavida", year = 2022, odometer = 20000 });
        var (_, number) = await desk.WalkInAsync((await vehicle.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        await desk.CheckInAsync(number, "", "OIL");

        // No link can reach them: the advisor is asked to call at once, not after the link's day has passed.
        var call = await desk.TaskAsync("wang", number, "estimateApproval");
        Assert.StartsWith("无法向客户发送维修估价单链接（客户未同意接收短信）", S(call, "instructions"), StringComparison.Ordinal);
        await desk.CompleteAsync("wang", number, "estimateApproval", "CustomerDecided", new { approved = "OIL" });
        await desk.TaskAsync("zhang", number, "handover");
        Assert.Empty(await desk.MessagesAsync(number));
    }
}
