using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Followup.Activities.Messaging;
using Microsoft.Extensions.DependencyInjection;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

/// <summary>The twelve steps end to end with the shipped workflows: appointment to next-service reminder, every record and message checked.</summary>
public sealed class ServiceProcessTests
{
    private static string S(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? "" : e.GetProperty(name).ToString();

    [Fact]
    public async Task A_booked_customer_goes_through_every_step_to_the_callback_and_the_next_service_reminder()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (customerId, vehicleId) = await desk.CustomerAsync("Li Wei", "+86 138 0013 8000", "li.wei@example.com", "en", 1, 11000, "沪A12345");
        await desk.AdvanceAsync(TimeSpan.FromDays(60)); // 2026-05-01 09:00Z

        // 11 Appointment: confirmation by SMS and email, a reminder the day before.
        var booked = await desk.Api.PostAsJsonAsync("/api/appointments", new { customerId, vehicleId, slotAt = "2026-05-03T02:00:00Z", request = "Brakes squeak", advisor = "wang" });
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        var appointmentId = (await booked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var confirmSms = await desk.SentAsync(Channels.Sms, "is booked for 2026-05-03 10:00 at Pudong VW. Tell us you have an appointment", appointmentId);
        Assert.Contains("your visit for 沪A12345 (Brakes squeak)", ServiceDesk.Text(confirmSms), StringComparison.Ordinal); // what was booked, not always "service"
        var confirmation = await desk.SentAsync(Channels.Email, "is booked for 2026-05-03 10:00", appointmentId);
        Assert.Equal("Appointment confirmed: 2026-05-03 10:00", MessagePayload.FromJson(confirmation.Payload).Subject);
        Assert.Contains(desk.Smtp.ReceivedEmail, m => m.Subject == "Appointment confirmed: 2026-05-03 10:00" && m.ToAddresses.Single().Address == "li.wei@example.com");
        Assert.DoesNotContain(await desk.MessagesAsync(appointmentId), m => ServiceDesk.Text(m).Contains("a reminder", StringComparison.Ordinal));
        await desk.AdvanceAsync(TimeSpan.FromHours(17)); // 2026-05-02 02:00Z
        await desk.SentAsync(Channels.Sms, "a reminder of your visit at Pudong VW on 2026-05-03 10:00 (沪A12345, Brakes squeak). Reply CANCEL to cancel.", appointmentId);

        // Arrival: the visit opens with priority and the customer's own advisor.
        await desk.AdvanceAsync(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(10)); // 2026-05-03 01:50Z
        var arrived = await desk.Api.PostAsync($"/api/appointments/{appointmentId}/arrive", null);
        Assert.Equal(HttpStatusCode.Created, arrived.StatusCode);
        var visit = await arrived.Content.ReadFromJsonAsync<JsonElement>();
        var (visitId, number) = (S(visit, "id"), S(visit, "number"));
        Assert.Equal("RO-2026-000001", number);
        Assert.True(visit.GetProperty("priority").GetBoolean());

        // 1 Reception: the task is the appointment advisor's, with a 5-minute SLA.
        var reception = await desk.TaskAsync("wang", number, "reception");
        Assert.Equal("wang", S(reception, "assigneeUser"));
        Assert.Equal("2026-05-03T01:55:00", S(reception, "dueAt")[..19]);
        await desk.AdvanceAsync(TimeSpan.FromMinutes(2));
        await desk.CompleteAsync("wang", number, "reception", "Done", new { greeted = "true" });

        // 2 Pre-inspection, recorded in front of the customer.
        await desk.CompleteAsync("wang", number, "preInspection", "Done", new
        {
            odometer = "14000", fuel = "1/2", damage = "Scratch on the rear bumper", valuables = "Sunglasses", covers = "true", wash = "yes", waiting = "leave", acknowledged = "true",
        });
        // 3 Needs from the menu catalog (staff read the items' names), with a concern in the customer's words.
        var needs = await desk.TaskAsync("wang", number, "needs");
        var needsPage = await (await desk.StaffAsync("wang")).GetStringAsync($"/inbox/{S(needs, "id")}?lang=en");
        Assert.Contains("value=\"OIL\" /> Oil and oil filter change (¥480.00)</label>", System.Net.WebUtility.HtmlDecode(needsPage), StringComparison.Ordinal);
        await desk.CompleteAsync("wang", number, "needs", "Done", new { concerns = "Squeak from the front brakes when stopping", services = "OIL,CABINF", warranty = "NotCovered", signed = "true" });

        // 4 The customer approves the estimate from the link on their phone.
        await desk.ApproveByLinkAsync(number, "your service estimate is ready", name: "Li Wei");

        // 5 Time estimate told to a customer who left (7: status by SMS instead of the lounge).
        var promise = await desk.SentAsync(Channels.Sms, "should be ready by 2026-05-03 11:45", number);
        Assert.Contains("We will text you when it is ready", ServiceDesk.Text(promise), StringComparison.Ordinal);

        // Workshop: handover, additional work found and authorised by the customer, work done, quality check, wash.
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        await desk.CompleteAsync("zhang", number, "work", "AdditionalWorkFound", new { description = "Front brake pads", reason = "Pads worn to 2 mm", hours = "1", labour = "300", parts = "520" });
        await desk.ApproveByLinkAsync(number, "our technician found additional work", name: "Li Wei");
        await desk.CompleteAsync("zhang", number, "work", "WorkDone", new { });
        await desk.CompleteAsync("zhou", number, "qualityCheck", "Passed", new { notes = "Road test fine" });
        await desk.CompleteAsync("zhang", number, "wash", "Done", new { done = "true" });
        await desk.SentAsync(Channels.Sms, "is ready and has passed its quality check", number);

        // 8 The bill matches the approved lines; it is explained and settled; 9/10 are announced at delivery.
        await desk.CompleteAsync("wang", number, "settlement", "Done", new { explained = "true", payment = "wechat" });
        await desk.CompleteAsync("wang", number, "delivery", "Done", new { walkaround = "true", informed = "true" });
        await desk.SentAsync(Channels.Sms, "We will call within 3 days", number);

        var record = await desk.VisitAsync(visitId);
        Assert.Equal("Delivered", S(record.GetProperty("visit"), "status"));
        Assert.Equal("2026-05-03T01:52:00", S(record.GetProperty("visit"), "greetedAt")[..19]);
        Assert.Equal("2026-05-03T03:45:00", S(record.GetProperty("visit"), "promisedAt")[..19]);
        Assert.Equal("zhang", S(record.GetProperty("visit"), "technician"));
        var checkIn = record.GetProperty("checkIn");
        Assert.Equal((14000, "1/2", "Scratch on the rear bumper", true, true, false), (checkIn.GetProperty("odometer").GetInt32(), S(checkIn, "fuelLevel"), S(checkIn, "damageNotes"),
            checkIn.GetProperty("coversFitted").GetBoolean(), checkIn.GetProperty("washAccepted").GetBoolean(), checkIn.GetProperty("waiting").GetBoolean()));
        Assert.Equal(["Squeak from the front brakes when stopping", "Oil and oil filter change", "Cabin filter replacement"],
            record.GetProperty("concerns").EnumerateArray().Select(c => S(c, "text")).ToArray());
        var estimates = record.GetProperty("estimates").EnumerateArray().ToList();
        Assert.Equal([("Estimate", "Approved", 820m), ("AdditionalWork", "Approved", 820m)],
            estimates.Select(e => (S(e, "kind"), S(e, "status"), e.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("labour").GetDecimal() + l.GetProperty("parts").GetDecimal()))).ToArray());
        var approvals = record.GetProperty("approvals").EnumerateArray().ToList();
        Assert.Equal([("Estimate", "Approved", "link", "Li Wei"), ("AdditionalWork", "Approved", "link", "Li Wei")],
            approvals.Select(a => (S(a, "kind"), S(a, "decision"), S(a, "decidedVia"), S(a, "signedName"))).ToArray());
        var invoice = record.GetProperty("invoice");
        Assert.Equal(("Settled", "wechat", "INV-2026-000001"), (S(invoice, "status"), S(invoice, "paymentMethod"), S(invoice, "number")));
        var approvedKeys = estimates.SelectMany(e => e.GetProperty("lines").EnumerateArray()).Select(l => (S(l, "lineKey"), l.GetProperty("labour").GetDecimal() + l.GetProperty("parts").GetDecimal())).OrderBy(l => l.Item1).ToList();
        var invoiced = invoice.GetProperty("lines").EnumerateArray().Select(l => (S(l, "lineKey"), l.GetProperty("price").GetDecimal())).OrderBy(l => l.Item1).ToList();
        Assert.Equal(approvedKeys, invoiced);
        Assert.Equal(1640m, invoiced.Sum(l => l.Item2));
        var visitPage = System.Net.WebUtility.HtmlDecode(await (await desk.StaffAsync("liu")).GetStringAsync($"/visits/{number}?lang=en"));
        Assert.Contains("Invoice INV-2026-000001 · Settled · ¥1640.00", visitPage, StringComparison.Ordinal);
        Assert.Contains("14000 km · fuel 1/2 · Scratch on the rear bumper", visitPage, StringComparison.Ordinal);

        // 9 The callback task appears for the callback agents when the store opens on the second day after delivery;
        // a problem not resolved opens a return-visit task for the advisor, and the manager hears of it.
        var deliveredAt = (await desk.VisitAsync(visitId)).GetProperty("visit").GetProperty("deliveredAt").GetDateTime();
        var firstCall = deliveredAt.AddHours(8).Date.AddDays(2).AddHours(9 - 8); // 09:00 in Shanghai
        Assert.Equal(firstCall, (await desk.VisitAsync(visitId)).GetProperty("callbacks").EnumerateArray().Single().GetProperty("dueAt").GetDateTime());
        await desk.AdvanceAsync(firstCall - desk.Host.Clock.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(1));
        Assert.DoesNotContain((await (await desk.StaffAsync("chen")).GetFromJsonAsync<JsonElement>("/api/tasks")).GetProperty("items").EnumerateArray(), t => S(t, "activityId") == "callback");
        await desk.AdvanceAsync(TimeSpan.FromMinutes(2));
        var callbackTask = await desk.TaskAsync("chen", number, "callback");
        var taskPage = System.Net.WebUtility.HtmlDecode(await (await desk.StaffAsync("chen")).GetStringAsync($"/inbox/{S(callbackTask, "id")}?lang=en"));
        Assert.Contains("<strong>Li Wei</strong> · +8613800138000", taskPage, StringComparison.Ordinal); // who to call, on the task itself
        Assert.Contains("沪A12345 Lavida", taskPage, StringComparison.Ordinal);
        await desk.CompleteAsync("chen", number, "callback", "Reached", new { score = "2", resolved = "no", comments = "The brakes still squeak" });
        var returnVisit = await desk.TaskAsync("wang", number, "returnVisit");
        Assert.Contains("问题未解决", S(returnVisit, "instructions"), StringComparison.Ordinal);
        await desk.CompleteAsync("wang", number, "returnVisit", "Booked", new { note = "Thursday 10:00, brakes checked free of charge" });
        var escalation = await desk.TaskAsync("liu", number, "escalation");
        Assert.Contains("回访评分 2 分", S(escalation, "instructions"), StringComparison.Ordinal);
        var callback = (await desk.VisitAsync(visitId)).GetProperty("callbacks").EnumerateArray().Single();
        Assert.Equal(("Done", 2, false, true, "chen"), (S(callback, "status"), callback.GetProperty("score").GetInt32(), callback.GetProperty("resolved").GetBoolean(),
            callback.GetProperty("escalated").GetBoolean(), S(callback, "agent")));

        // 10 Months later the next-service reminder goes out by SMS and email: due by mileage (48 km a day), not by date.
        var reminder = (await desk.VisitAsync(visitId)).GetProperty("reminders").EnumerateArray().Single();
        Assert.Equal(("mileage", 19000, "Scheduled"), (S(reminder, "basis"), reminder.GetProperty("dueKm").GetInt32(), S(reminder, "status")));
        var due = reminder.GetProperty("dueAt").GetDateTime();
        Assert.InRange(due, new DateTime(2026, 8, 13), new DateTime(2026, 8, 14)); // 3,000 km in 61.7 days: 5,000 km more take 102.8 days after the check-in
        await desk.AdvanceAsync(TimeSpan.FromDays(80));
        Assert.DoesNotContain(await desk.MessagesAsync(number), m => ServiceDesk.Text(m).Contains("due for service", StringComparison.Ordinal));
        await desk.AdvanceAsync(TimeSpan.FromDays(20));
        var reminderSms = await desk.SentAsync(Channels.Sms, "is due for service around 2026-08-1", number);
        Assert.Contains("(or at 19000 km)", ServiceDesk.Text(reminderSms), StringComparison.Ordinal);
        await desk.SentAsync(Channels.Email, "is due for service around 2026-08-1", number);
        Assert.Contains(desk.Smtp.ReceivedEmail, m => m.Subject == "Service reminder: 沪A12345" && m.Headers.AllKeys.Contains("List-Unsubscribe"));
        Assert.Equal("Sent", S((await desk.VisitAsync(visitId)).GetProperty("reminders").EnumerateArray().Single(), "status"));
        // Nothing booked a week later: a follow-up call task.
        await desk.AdvanceAsync(TimeSpan.FromDays(7));
        await desk.TaskAsync("wang", number, "reminder");

        // Every SMS went to Twilio exactly once, and nothing else was sent.
        var sms = (await desk.MessagesAsync()).Where(m => m.Channel == Channels.Sms).ToList();
        Assert.All(sms, m => Assert.Equal("Sent", m.Status));
        Assert.Equal(sms.Select(ServiceDesk.Text).Order(), desk.TwilioBodies().Order());
        Assert.Equal(8, sms.Count); // confirmation, reminder, estimate link, promise, additional-work link, ready, thanks, service reminder (no survey SMS in call mode)
    }

    [Fact]
    public async Task Charges_beyond_the_approved_estimate_block_settlement_until_the_customer_authorises_them()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, vehicleId) = await desk.CustomerAsync("Zhao Min", "+86 139 1234 5678", null, "en", 7, 30000, "京A77777");
        var (visitId, number) = await desk.WalkInAsync(vehicleId);
        await desk.CheckInAsync(number, "", "OIL");
        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        // The technician replaced the air filter too, without asking: 150 beyond the approved 480.
        await desk.CompleteAsync("zhang", number, "work", "WorkDone", new { extraDescription = "Air filter replaced", extraLabour = "60", extraParts = "90" });
        await desk.CompleteAsync("zhou", number, "qualityCheck", "Passed", new { });

        // The invoice is blocked, there is no settlement task, and the customer is asked to authorise the overrun: by how much and why.
        var ask = await desk.SentAsync(Channels.Sms, "more than the estimate you approved", number);
        Assert.Contains("your bill is ¥150.00 more than the estimate you approved: Air filter replaced (not on the approved estimate).", ServiceDesk.Text(ask), StringComparison.Ordinal);
        Assert.DoesNotContain("technician found", ServiceDesk.Text(ask), StringComparison.Ordinal);
        var invoice = (await desk.VisitAsync(visitId)).GetProperty("invoice");
        Assert.Equal(("Blocked", 630m), (S(invoice, "status"), invoice.GetProperty("total").GetDecimal()));
        var extra = invoice.GetProperty("lines").EnumerateArray().Single(l => S(l, "description") == "Air filter replaced");
        Assert.Equal(JsonValueKind.Null, extra.GetProperty("approvedPrice").ValueKind);
        Assert.True(extra.GetProperty("isOverrun").GetBoolean());
        Assert.DoesNotContain("settlement", await desk.OpenTasksAsync("wang", number));

        // Authorised: reconciled line by line, and only now the bill can be settled.
        await desk.ApproveByLinkAsync(number, "more than the estimate you approved");
        await desk.TaskAsync("wang", number, "settlement");
        invoice = (await desk.VisitAsync(visitId)).GetProperty("invoice");
        Assert.Equal(("Reconciled", 630m), (S(invoice, "status"), invoice.GetProperty("total").GetDecimal()));
        Assert.All(invoice.GetProperty("lines").EnumerateArray(), l => Assert.False(l.GetProperty("isOverrun").GetBoolean()));
        await desk.CompleteAsync("wang", number, "settlement", "Done", new { explained = "true", payment = "cash" });
        await Poll.UntilAsync(async () => S((await desk.VisitAsync(visitId)).GetProperty("invoice"), "status"), s => s == "Settled", what: "the settled invoice");
    }

    [Fact]
    public async Task A_declined_overrun_comes_off_the_bill()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, vehicleId) = await desk.CustomerAsync("Sun Li", "+86 137 0000 1111", null, "en", 8, 30000, "粤B88888");
        var (visitId, number) = await desk.WalkInAsync(vehicleId);
        await desk.CheckInAsync(number, "", "OIL,WIPER");
        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        await desk.CompleteAsync("zhang", number, "work", "WorkDone", new { extraDescription = "Washer fluid", extraParts = "30" });
        await desk.CompleteAsync("zhou", number, "qualityCheck", "Passed", new { });
        await desk.ApproveByLinkAsync(number, "more than the estimate you approved", decline: true);
        await desk.TaskAsync("wang", number, "settlement");
        var invoice = (await desk.VisitAsync(visitId)).GetProperty("invoice");
        Assert.Equal(("Reconciled", 670m), (S(invoice, "status"), invoice.GetProperty("total").GetDecimal()));
        Assert.Equal(["OIL", "WIPER"], invoice.GetProperty("lines").EnumerateArray().Select(l => S(l, "lineKey")).ToArray());
    }

    [Fact]
    public async Task The_same_concern_on_the_same_car_within_the_window_is_a_comeback_for_the_technical_lead()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, vehicleId) = await desk.CustomerAsync("Wu Gang", "+86 136 5555 6666", null, "en", 9, 40000, "苏E12121");
        var (firstId, first) = await desk.WalkInAsync(vehicleId);
        await desk.CheckInAsync(first, "Squeak from the front brakes when stopping", "BRAKEF");
        await desk.RepairAndDeliverAsync(first);

        // Ten days later, a different concern: not a comeback.
        await desk.AdvanceAsync(TimeSpan.FromDays(10));
        var (otherId, other) = await desk.WalkInAsync(vehicleId);
        await desk.CheckInAsync(other, "Rattle in the dashboard", "");
        await desk.SentAsync(Channels.Sms, "your service estimate is ready", other);
        Assert.Equal(JsonValueKind.Null, (await desk.VisitAsync(otherId)).GetProperty("comeback").ValueKind);

        // The brakes again, in other words: a comeback, linked to the first visit and given to the technical leads;
        // the repeated concern's diagnosis is not charged.
        var (secondId, second) = await desk.WalkInAsync(vehicleId);
        await desk.CheckInAsync(second, "Front brakes squeak again when stopping", "");
        await desk.SentAsync(Channels.Sms, "we are sorry your car is back for the same problem", second);
        var record = await desk.VisitAsync(secondId);
        Assert.Equal(firstId, S(record.GetProperty("comeback"), "originalVisitId"));
        Assert.Equal((firstId, ""), (S(record.GetProperty("visit"), "comebackOf"), S(record.GetProperty("visit"), "technician")));
        var rootCause = await desk.TaskAsync("lead", second, "rootCause");
        Assert.Equal(("TechnicalLead", ""), (S(rootCause, "assigneeRole"), S(rootCause, "assigneeUser")));
        Assert.DoesNotContain("rootCause", await desk.OpenTasksAsync("zhang", second));
        // The visit itself goes on to its estimate, where the diagnosis costs the customer nothing.
        await desk.SentAsync(Channels.Sms, "your service estimate is ready", second);
        var diagnosis = (await desk.VisitAsync(secondId)).GetProperty("estimates").EnumerateArray().Single().GetProperty("lines").EnumerateArray().Single();
        Assert.Equal(("Internal", 0m, "Comeback: no diagnosis charge"), (S(diagnosis, "payType"), diagnosis.GetProperty("price").GetDecimal(), S(diagnosis, "reason")));
    }

    [Fact]
    public async Task Work_that_is_not_a_repair_done_again_is_not_a_comeback()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, vehicleId) = await desk.CustomerAsync("Wu Gang", "+86 136 5555 6666", null, "en", 9, 40000, "苏E12121");
        var (_, first) = await desk.WalkInAsync(vehicleId);
        await desk.CheckInAsync(first, "", "BATT");
        await desk.RepairAndDeliverAsync(first);
        await desk.AdvanceAsync(TimeSpan.FromDays(5));
        var (secondId, second) = await desk.WalkInAsync(vehicleId);
        await desk.CheckInAsync(second, "", "BATT");
        await desk.SentAsync(Channels.Sms, "your service estimate is ready", second);
        Assert.Equal(JsonValueKind.Null, (await desk.VisitAsync(secondId)).GetProperty("comeback").ValueKind);
    }

    [Fact]
    public async Task An_advisor_sets_and_clears_the_comeback_flag_with_a_reason_and_both_are_audited()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, vehicleId) = await desk.CustomerAsync("Wu Gang", "+86 136 5555 6666", null, "en", 9, 40000, "苏E12121");
        var (firstId, first) = await desk.WalkInAsync(vehicleId);
        var early = await (await desk.StaffAsync("wang")).PostAsJsonAsync($"/api/visits/{firstId}/comeback", new { comeback = true, reason = "Same noise" });
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode); // no earlier visit to come back from
        Assert.Contains("no earlier delivered visit", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await desk.CheckInAsync(first, "Oil leak under the engine", "");
        await desk.RepairAndDeliverAsync(first);
        await desk.AdvanceAsync(TimeSpan.FromDays(3));
        var (secondId, second) = await desk.WalkInAsync(vehicleId);
        await desk.CheckInAsync(second, "Drops on the garage floor", "");
        await desk.SentAsync(Channels.Sms, "your service estimate is ready", second);
        Assert.Equal(JsonValueKind.Null, (await desk.VisitAsync(secondId)).GetProperty("comeback").ValueKind); // other words, not detected

        var advisor = await desk.StaffAsync("wang");
        var noReason = await advisor.PostAsJsonAsync($"/api/visits/{secondId}/comeback", new { comeback = true, reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await desk.VisitAsync(secondId)).GetProperty("comeback").ValueKind);
        var set = await advisor.PostAsJsonAsync($"/api/visits/{second}/comeback", new { comeback = true, reason = "The same oil leak as last week" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var comeback = (await desk.VisitAsync(secondId)).GetProperty("comeback");
        Assert.Equal((firstId, "wang", "The same oil leak as last week"), (S(comeback, "originalVisitId"), S(comeback, "setBy"), S(comeback, "reason")));
        await desk.TaskAsync("lead", second, "rootCause");
        Assert.Equal(HttpStatusCode.Conflict, (await advisor.PostAsJsonAsync($"/api/visits/{secondId}/comeback", new { comeback = true, reason = "again" })).StatusCode);

        var cleared = await advisor.PostAsJsonAsync($"/api/visits/{secondId}/comeback", new { comeback = false, reason = "The leak is from a different seal" });
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await desk.VisitAsync(secondId)).GetProperty("comeback").ValueKind);
        var audit = await (await desk.StaffAsync("liu")).GetFromJsonAsync<JsonElement>($"/api/audit?entityType=Visit&entityId={secondId}");
        var actions = audit.GetProperty("items").EnumerateArray().Select(a => (S(a, "actor"), S(a, "action"), S(a, "changes"))).ToList();
        Assert.Contains(actions, a => a is ("wang", "comeback:set", var c) && c.Contains("The same oil leak as last week", StringComparison.Ordinal));
        Assert.Contains(actions, a => a is ("wang", "comeback:cleared", var c) && c.Contains("different seal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_customer_books_from_the_reminder_link_and_the_reminder_stops_without_a_follow_up_call()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, vehicleId) = await desk.CustomerAsync("Zhou Jie", "+86 135 2222 3333", null, "en", 12, 30000, "沪D34567");
        var (_, number) = await desk.WalkInAsync(vehicleId);
        await desk.CheckInAsync(number, "", "OIL", odometer: 30100);
        await desk.RepairAndDeliverAsync(number);

        // No mileage history to project from: due by date, 180 days on; the reminder goes 14 days before.
        await desk.AdvanceAsync(TimeSpan.FromDays(167));
        var reminder = await desk.SentAsync(Channels.Sms, "is due for service around", number);
        var link = await ShortLink.PathAsync(desk.Host.NoRedirectClient(), ServiceDesk.Text(reminder));
        var phone = desk.Host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        var page = await phone.GetStringAsync(link);
        Assert.Contains("沪D34567", page, StringComparison.Ordinal);
        var token = HostFactory.AntiforgeryToken(page);
        var slot = System.Text.RegularExpressions.Regex.Match(page, "name=\"slot\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.Equal(HttpStatusCode.BadRequest, (await phone.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["slot"] = "2020-01-01T01:00:00Z",
        }))).StatusCode);
        var booked = await phone.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["slot"] = slot, ["request"] = "Oil change" }));
        Assert.Equal(HttpStatusCode.OK, booked.StatusCode);
        Assert.Contains("You are booked", await booked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await phone.GetAsync(link[..^3] + (link[^3] == 'A' ? "B" : "A") + link[^2..])).StatusCode);

        var appointments = (await desk.Api.GetFromJsonAsync<JsonElement>($"/api/appointments?from={Uri.EscapeDataString(slot)}")).GetProperty("items").EnumerateArray().ToList();
        var appointment = Assert.Single(appointments);
        Assert.Equal(("self-service", "Oil change", slot), (S(appointment, "channel"), S(appointment, "request"), appointment.GetProperty("slotAt").GetDateTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)));
        await desk.SentAsync(Channels.Sms, "Tell us you have an appointment", S(appointment, "id"));
        var record = (await desk.VisitAsync(number)).GetProperty("reminders").EnumerateArray().Single();
        Assert.Equal(("Booked", S(appointment, "id")), (S(record, "status"), S(record, "bookedAppointmentId")));

        // A week on, no follow-up call: the reminder ended when the customer booked.
        await desk.AdvanceAsync(TimeSpan.FromDays(7));
        Assert.Contains("service-reminder Finished/Finished", await Poll.UntilAsync(() => desk.InstancesAsync(number), s => s.Contains("service-reminder Finished", StringComparison.Ordinal), what: "the reminder to end"), StringComparison.Ordinal);
        Assert.DoesNotContain("reminder", await desk.OpenTasksAsync("wang", number));
    }

    /// <summary>A callback whose first call is the day after the visit and whose last is the day after that, in the given mode; its outcome becomes the instance's name.</summary>
    private static string Callback(string id, string mode) => Workflow(id,
        [Activity("start", "Elsa.Start"),
         Activity("callback", "Followup.SatisfactionCallback", string.Join(",", Input("visitId", "String", "VisitId", "Input"), Input("firstCallDay", "Int32", "1"),
             Input("mode", "String", mode), Input("lastCallDay", "Int32", "2"), Input("retryEvery", "TimeSpan", "02:00:00"))),
         Activity("ok", "Elsa.SetName", Input("value", "String", "Satisfied")),
         Activity("bad", "Elsa.SetName", Input("value", "String", "Escalate")),
         Activity("gone", "Elsa.SetName", Input("value", "String", "Unreachable"))],
        [Connection("start", "callback"), Connection("callback", "ok", "Satisfied"), Connection("callback", "bad", "Escalate"), Connection("callback", "gone", "Unreachable")],
        extra: """ "inputs": [ { "type": "String", "name": "VisitId" } ], """);

    private static async Task<(ServiceDesk Desk, string VisitId, string Instance)> CallbackAsync(string mode)
    {
        var desk = await ServiceDesk.OpenAsync(host => File.WriteAllText(Path.Combine(host.Folder, "workflows", "callback-test.json"), Callback("callback-test", mode)));
        var (_, vehicleId) = await desk.CustomerAsync("Zhou Jie", "+86 135 2222 3333", null, "en", 13, 30000, "沪D34567");
        var (visitId, _) = await desk.WalkInAsync(vehicleId);
        var started = await desk.Api.PostAsJsonAsync("/elsa/api/workflow-definitions/callback-test/execute", new { correlationId = "CB-1", input = new { VisitId = visitId } });
        started.EnsureSuccessStatusCode();
        return (desk, visitId, started.Headers.GetValues("x-elsa-workflow-instance-id").Single());
    }

    [Fact]
    public async Task An_sms_survey_records_the_score_the_customer_replies_and_ignores_other_replies()
    {
        var (desk, visitId, instance) = await CallbackAsync("sms");
        await using var _ = desk;
        await desk.AdvanceAsync(TimeSpan.FromHours(16)); // when the store opens the next morning
        var survey = await desk.SentAsync(Channels.Sms, "Please reply with a score from 1 to 5", "CB-1");
        Assert.EndsWith("Reply STOP to opt out.", ServiceDesk.Text(survey), StringComparison.Ordinal);
        var web = desk.Host.CreateClient();
        Task<HttpResponseMessage> Reply(string sid, string body) => TwilioRequests.PostSignedAsync(web, "http://localhost:5080", "/twilio/inbound",
            new Dictionary<string, string> { ["MessageSid"] = sid, ["From"] = "+8613522223333", ["To"] = ServiceDesk.TwilioFrom, ["Body"] = body }, "process-test-token");

        Assert.Equal(HttpStatusCode.OK, (await Reply("SM-r1", "When do you open tomorrow?")).StatusCode);
        Assert.Equal("Suspended", await Poll.SubStatusAsync(desk.Api, instance));
        Assert.Equal(HttpStatusCode.OK, (await Reply("SM-r2", "你们4S店太差")).StatusCode); // a 4 in a complaint is not a score
        Assert.Equal("Suspended", await Poll.SubStatusAsync(desk.Api, instance));
        Assert.Equal(HttpStatusCode.OK, (await Reply("SM-r3", "4分")).StatusCode);
        Assert.Equal("Satisfied", (await Poll.InstanceAsync(desk.Api, instance)).GetProperty("name").GetString());
        var callback = (await desk.VisitAsync(visitId)).GetProperty("callbacks").EnumerateArray().Single();
        Assert.Equal(("sms", "Done", 4, "4分", false), (S(callback, "mode"), S(callback, "status"), callback.GetProperty("score").GetInt32(), S(callback, "comments"), callback.GetProperty("escalated").GetBoolean()));
    }

    [Fact]
    public async Task Unanswered_calls_are_tried_again_in_store_hours_three_times_then_one_sms_survey_goes_out_and_unanswered_the_customer_is_unreachable()
    {
        var (desk, visitId, instance) = await CallbackAsync("call");
        await using var _ = desk;
        await desk.AdvanceAsync(TimeSpan.FromHours(16)); // 09:00 the next morning in Shanghai (the visit ended at 17:00)
        for (var call = 1; call <= 3; call++)
        {
            await desk.CompleteAsync("chen", "CB-1", "callback", "NoAnswer", new { });
            Assert.Empty(await desk.OpenTasksAsync("chen", "CB-1"));
            if (call < 3)
            {
                Assert.DoesNotContain(await desk.MessagesAsync("CB-1"), m => m.Channel == Channels.Sms);
                await desk.AdvanceAsync(TimeSpan.FromHours(2));
            }
        }
        var survey = await desk.SentAsync(Channels.Sms, "Please reply with a score from 1 to 5", "CB-1");
        Assert.EndsWith("Reply STOP to opt out.", ServiceDesk.Text(survey), StringComparison.Ordinal);
        await desk.AdvanceAsync(TimeSpan.FromDays(3));
        Assert.Equal("Unreachable", (await Poll.InstanceAsync(desk.Api, instance)).GetProperty("name").GetString());
        var callback = (await desk.VisitAsync(visitId)).GetProperty("callbacks").EnumerateArray().Single();
        Assert.Equal(("Unreachable", 3, "sms"), (S(callback, "status"), callback.GetProperty("attempts").GetInt32(), S(callback, "mode")));
        Assert.Single(await desk.MessagesAsync("CB-1"), m => m.Channel == Channels.Sms); // never asked twice
    }

    [Fact]
    public async Task A_customer_who_does_not_come_is_marked_a_no_show_and_an_advisor_follows_up()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (customerId, vehicleId) = await desk.CustomerAsync("Qian Hui", "+86 134 4444 5555", null, "zh-CN", 14, 50000, "沪E55555");
        var booked = await desk.Api.PostAsJsonAsync("/api/appointments", new { customerId, vehicleId, slotAt = "2026-03-02T12:00:00Z" });
        var id = (await booked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var confirmation = await desk.SentAsync(Channels.Sms, "您已预约2026-03-02 20:00到浦东大众4S店（沪E55555，保养）", id);
        Assert.Equal("+8613444445555", confirmation.Recipient);
        Assert.DoesNotContain(await desk.MessagesAsync(id), m => ServiceDesk.Text(m).Contains("提醒", StringComparison.Ordinal)); // booked for today: no reminder
        await desk.AdvanceAsync(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(29));
        Assert.Empty(await desk.OpenTasksAsync("wang", id));
        await desk.AdvanceAsync(TimeSpan.FromMinutes(2));
        await desk.TaskAsync("wang", id, "noShow");
        var appointment = (await desk.Api.GetFromJsonAsync<JsonElement>("/api/appointments?from=2026-03-02T00:00:00Z")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal("NoShow", S(appointment, "status"));
        // Arriving late after all, the customer is still served.
        Assert.Equal(HttpStatusCode.Created, (await desk.Api.PostAsync($"/api/appointments/{id}/arrive", null)).StatusCode);
    }

    [Fact]
    public async Task A_visit_saved_just_before_a_crash_gets_its_workflow_at_the_next_start_and_only_once()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (customerId, vehicleId) = await desk.CustomerAsync("Feng Yu", "+86 132 1111 2222", null, "en", 15, 10000, "沪F10101");
        var factory = desk.Host.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Followup.Activities.Data.DealershipDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            // What a crash between saving the visit and starting its workflow leaves behind.
            db.Visits.Add(new Followup.Activities.Data.Visit
            {
                Id = "orphan", Number = "RO-2026-000777", CustomerId = customerId, VehicleId = vehicleId,
                CreatedAt = desk.Host.Clock.GetUtcNow().UtcDateTime, UpdatedAt = desk.Host.Clock.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync();
            var frontDesk = desk.Host.Services.GetRequiredService<Followup.Host.Api.FrontDesk>();
            await frontDesk.RecoverAsync(db, CancellationToken.None);
            await frontDesk.RecoverAsync(db, CancellationToken.None);
        }
        await desk.TaskAsync("wang", "RO-2026-000777", "reception");
        var (instances, _) = await desk.Host.Queries.QueryInstancesAsync(new Followup.Workflows.Persistence.InstanceQuery { CorrelationId = "RO-2026-000777" }, CancellationToken.None);
        Assert.Equal("service-visit-orphan", Assert.Single(instances).Id);
    }
}
