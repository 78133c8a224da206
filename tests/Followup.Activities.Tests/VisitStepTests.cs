using Followup.Activities.Service.Steps;
using Followup.Activities.Approvals;
using Followup.Activities.Data;
using Microsoft.EntityFrameworkCore;
using static Followup.Workflows.Tests.Json;

namespace Followup.Activities.Tests;

/// <summary>Each step of the visit on its own: what it writes on the repair order, what it gives the workflow, and what it refuses.</summary>
public sealed class VisitStepTests
{
    private static string Step(string type, params string[] inputs) =>
        Activity("step", type, string.Join(",", [Input("visitId", "String", ActivityHarness.VisitId), .. inputs]));

    /// <summary>The step with one of its outputs kept in a workflow variable.</summary>
    private static string Output(string step, string output, string variable) =>
        step.Replace("\"customProperties\"", $"\"{output}\": {{ \"typeName\": \"Object\", \"memoryReference\": {{ \"id\": \"{variable}\" }} }}, \"customProperties\"", StringComparison.Ordinal);

    private static string Values(object values) => Input("taskValues", "Object", System.Text.Json.JsonSerializer.Serialize(values), "Object");

    [Fact]
    public async Task RecordGreeting_KeepsTheFirstGreeting()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.CompleteAsync(Step("Followup.RecordGreeting"));
        var first = (await h.VisitAsync()).GreetedAt;
        h.Clock.Advance(TimeSpan.FromMinutes(10));
        await h.CompleteAsync(Step("Followup.RecordGreeting"));

        Assert.Equal(new DateTime(2026, 3, 2, 1, 0, 0), first);
        Assert.Equal(first, (await h.VisitAsync()).GreetedAt);
    }

    [Fact]
    public async Task RecordCheckIn_TakesTheTasksValues_LetsABoundInputWin_AndAddsTheOdometerToTheMileage()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.CompleteAsync(Step("Followup.RecordCheckIn",
            Values(new { odometer = "15200", fuel = "1/2", damage = "Scratch on the rear bumper", covers = "true", wash = "yes", waiting = "leave", acknowledged = "true" }),
            Input("fuel", "String", "3/4")));

        await using var db = await h.DbAsync();
        var sheet = await db.CheckIns.SingleAsync();
        Assert.Equal((15200, "3/4", "Scratch on the rear bumper", true, true, (bool?)true, (bool?)false),
            (sheet.Odometer, sheet.FuelLevel, sheet.DamageNotes, sheet.CoversFitted, sheet.CustomerAcknowledged, sheet.WashAccepted, sheet.Waiting));
        Assert.Equal(15200, (await db.MileageReadings.SingleAsync()).Kilometres);
    }

    [Fact]
    public async Task RecordNeeds_PricesMenuItemsAndADiagnosisPerConcern_NothingToPayUnderWarranty()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var (result, _) = await h.CompleteAsync(Step("Followup.RecordNeeds",
            Values(new { concerns = "Squeak from the front brakes\nRattle in the dashboard", services = new[] { "OIL" }, warranty = "NotCovered" })));
        await using var db = await h.DbAsync();
        var estimate = await db.Estimates.Include(e => e.Lines).SingleAsync();
        Assert.Equal(["OIL", "diag-1", "diag-2"], estimate.Lines.Select(l => l.LineKey).Order(StringComparer.Ordinal));
        Assert.Equal((160m, 320m), (estimate.Lines.Single(l => l.LineKey == "OIL").Labour, estimate.Lines.Single(l => l.LineKey == "OIL").Parts));
        Assert.Equal(150m, estimate.Lines.Single(l => l.LineKey == "diag-1").Labour);
        Assert.Equal(3, (await db.Concerns.CountAsync()));

        // Covered: the maker pays the diagnosis; the customer sees it at no charge.
        var (covered, _) = await h.CompleteAsync(Output(Step("Followup.RecordNeeds", Values(new { concerns = "Engine light", warranty = "Covered" })), "lines", "Lines"),
            variables: """{ "id": "Lines", "name": "Lines", "typeName": "String" }""");
        await using var after = await h.DbAsync();
        var line = await after.EstimateLines.SingleAsync(l => l.Description == "Diagnosis: Engine light");
        Assert.Equal((150m, PayType.Warranty, 0m), (line.Labour, line.PayType, line.Price));
        Assert.Equal(0m, ApprovalContent.Lines(Assert.IsType<string>(covered.Variables["Lines"])).Single().Price);
    }

    [Fact]
    public async Task RecordNeeds_WithAServiceTheCatalogDoesNotHave_FaultsAndWritesNothing()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var result = await h.RunAsync(Step("Followup.RecordNeeds", Values(new { services = "TELEPORT" })));
        Assert.Equal(Workflows.Runtime.WorkflowSubStatus.Faulted, result.SubStatus);
        Assert.Contains("'TELEPORT' is not in the service catalog", result.Incidents.Single().Message, StringComparison.Ordinal);
        await using var db = await h.DbAsync();
        Assert.Empty(await db.Estimates.ToListAsync());
    }

    [Theory]
    [InlineData("[\"OIL\", \"diag-1\"]", "Approved")]
    [InlineData("[\"OIL\"]", "PartiallyApproved")]
    [InlineData("[]", "Declined")]
    [InlineData(null, "TimedOut")]
    public async Task RecordDecision_MarksEachLineAndTheEstimate(string? approved, string status)
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.CompleteAsync(Step("Followup.RecordNeeds", Values(new { concerns = "Noise", services = "OIL" })));
        await h.CompleteAsync(approved is null ? Step("Followup.RecordDecision") : Step("Followup.RecordDecision", Input("approvedLines", "Object", approved, "Object")));
        await using var db = await h.DbAsync();
        var estimate = await db.Estimates.Include(e => e.Lines).SingleAsync();
        Assert.Equal(status, estimate.Status);
        // Nobody answered: the lines stay undecided, never declined.
        Assert.Equal(approved is null ? null : approved.Contains("OIL", StringComparison.Ordinal), estimate.Lines.Single(l => l.LineKey == "OIL").Approved);
    }

    [Fact]
    public async Task RecordDecision_OfAnOverrunNobodyAuthorised_TakesItsLinesOff_AndAnEstimateSentAgainIsDecidedOnce()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.CompleteAsync(Step("Followup.RecordNeeds", Values(new { services = "OIL" })));
        await h.CompleteAsync(Step("Followup.RecordDecision", Input("unanswered", "String", RecordDecision.NotAuthorised)));
        await using (var db = await h.DbAsync())
            Assert.Equal((EstimateStatus.TimedOut, (bool?)false), (await db.Estimates.Include(e => e.Lines).SingleAsync() is var e ? (e.Status, e.Lines.Single().Approved) : default));
        // The customer got in touch and the estimate went out again: the same estimate takes the answer.
        await h.CompleteAsync(Step("Followup.RecordDecision", Input("approvedLines", "Object", "[\"OIL\"]", "Object")));
        await using (var db = await h.DbAsync())
            Assert.Equal((EstimateStatus.Approved, (bool?)true), (await db.Estimates.Include(e => e.Lines).SingleAsync() is var e ? (e.Status, e.Lines.Single().Approved) : default));
    }

    [Theory]
    [InlineData(WarrantyStatus.Covered, PayType.Warranty, 0)]
    [InlineData(WarrantyStatus.NotCovered, PayType.Customer, 150)]
    public async Task RecordWarranty_RecordsTheDecisionOnEachConcern_AndRepricesTheirLines(string decision, string payType, int customerPrice)
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.CompleteAsync(Step("Followup.RecordNeeds", Values(new { concerns = "Engine light", services = "OIL", warranty = WarrantyStatus.NeedsDecision })));
        var (result, _) = await h.CompleteAsync(Output(Step("Followup.RecordWarranty", Values(new { decision = "Known fault, bulletin 12", claim = "CLM-2026-7" }), Input("decision", "String", decision)), "lines", "Lines"),
            variables: """{ "id": "Lines", "name": "Lines", "typeName": "String" }""");
        await using var db = await h.DbAsync();
        var concern = await db.Concerns.SingleAsync(c => c.CatalogCode == null);
        Assert.Equal((decision, "Known fault, bulletin 12", "CLM-2026-7"), (concern.Warranty, concern.WarrantyNote, concern.ClaimRef));
        Assert.Equal(WarrantyStatus.NotCovered, (await db.Concerns.SingleAsync(c => c.CatalogCode == "OIL")).Warranty);
        var diagnosis = await db.EstimateLines.SingleAsync(l => l.LineKey == "diag-1");
        Assert.Equal((payType, (decimal)customerPrice), (diagnosis.PayType, diagnosis.Price));
        var toApprove = ApprovalContent.Lines(Assert.IsType<string>(result.Variables["Lines"]));
        Assert.Equal([480m, customerPrice], toApprove.Select(l => l.Price));
    }

    [Fact]
    public async Task RecordWarranty_WithoutADecision_Faults()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var result = await h.RunAsync(Step("Followup.RecordWarranty", Input("decision", "String", "Maybe")));
        Assert.Contains("Covered or NotCovered", result.Incidents.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevisePromisedTime_MovesThePromiseLaterOnly_AndSaysWhenItMoved()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.CompleteAsync(Step("Followup.RecordNeeds", Values(new { services = "OIL" })));
        await h.CompleteAsync(Step("Followup.RecordDecision", Input("approvedLines", "Object", "[\"OIL\"]", "Object")));
        await h.CompleteAsync(Step("Followup.SetPromisedTime", Input("bays", "Int32", "1")));
        var promised = (await h.VisitAsync()).PromisedAt;

        // Twenty minutes of rework fit in the old promise: unchanged, nothing to tell.
        var (_, unchanged) = await h.CompleteAsync(Step("Followup.RevisePromisedTime", Input("hours", "Decimal", "0.25")));
        Assert.Equal(("Unchanged", promised), (unchanged, (await h.VisitAsync()).PromisedAt));

        // Additional work of 1.5 h approved: later, from now.
        await h.CompleteAsync(Step("Followup.RecordAdditionalWork", Values(new { description = "Front brake pads", hours = "1.5", labour = "300", parts = "520" })));
        await h.CompleteAsync(Step("Followup.RecordDecision", Input("approvedLines", "Object", "[\"" + (await AdditionalKeyAsync(h)) + "\"]", "Object")));
        h.Clock.Advance(TimeSpan.FromMinutes(30));
        var (_, later) = await h.CompleteAsync(Step("Followup.RevisePromisedTime"));
        Assert.Equal(("Later", new DateTime(2026, 3, 2, 3, 30, 0)), (later, (await h.VisitAsync()).PromisedAt)); // 01:30Z + 1.5 h + 30 min
    }

    private static async Task<string> AdditionalKeyAsync(ActivityHarness h)
    {
        await using var db = await h.DbAsync();
        return (await db.Estimates.Include(e => e.Lines).SingleAsync(e => e.Kind == EstimateKind.AdditionalWork)).Lines.Single().LineKey;
    }

    [Fact]
    public async Task SetPromisedTime_AddsTheApprovedHoursAndTheQueueAndTellsItInStoreTime()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.CompleteAsync(Step("Followup.RecordNeeds", Values(new { services = "OIL,BRAKEF" })));
        await h.CompleteAsync(Step("Followup.RecordDecision", Input("approvedLines", "Object", "[\"OIL\", \"BRAKEF\"]", "Object")));
        await h.CompleteAsync(Step("Followup.SetPromisedTime", Input("bays", "Int32", "2")));

        // 1.5 h of work + 30 min check = 02:00 later: 03:00Z, 11:00 in the store.
        Assert.Equal(new DateTime(2026, 3, 2, 3, 0, 0), (await h.VisitAsync()).PromisedAt);
    }

    [Theory]
    [InlineData("Followup.HandOverToWorkshop", VisitStatus.InWorkshop)]
    [InlineData("Followup.StartQualityCheck", VisitStatus.QualityCheck)]
    [InlineData("Followup.ReturnToWorkshop", VisitStatus.InWorkshop)]
    [InlineData("Followup.MarkReady", VisitStatus.Ready)]
    [InlineData("Followup.RecordDelivery", VisitStatus.Delivered)]
    public async Task A_status_step_moves_the_visit_and_tells_the_dms(string type, string status)
    {
        await using var h = await ActivityHarness.OpenAsync(new() { ["Webhooks:Endpoints:0:Url"] = "https://dms.example/hooks", ["Webhooks:Endpoints:0:Secret"] = "dms-shared-secret-16" });
        await h.CompleteAsync(type == "Followup.HandOverToWorkshop" ? Step(type, Values(new { technician = "zhang" })) : Step(type));

        var visit = await h.VisitAsync();
        Assert.Equal(status, visit.Status);
        if (type == "Followup.HandOverToWorkshop")
            Assert.Equal("zhang", visit.Technician);
        var hook = Assert.Single(await h.MessagesAsync());
        Assert.Equal(("webhook", "https://dms.example/hooks"), (hook.Channel, hook.Recipient));
        Assert.Contains($"\"status\":\"{status}\"", Followup.Activities.Messaging.MessagePayload.FromJson(hook.Payload).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordAdditionalWork_NeedsADescription_AndPricesTheLine()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var missing = await h.RunAsync(Step("Followup.RecordAdditionalWork", Values(new { labour = "300" })));
        Assert.Contains("needs a description", missing.Incidents.Single().Message, StringComparison.Ordinal);

        await h.CompleteAsync(Step("Followup.RecordAdditionalWork", Values(new { description = "Front brake pads", reason = "Worn to 2 mm", hours = "1", labour = "300", parts = "520" })));
        await using var db = await h.DbAsync();
        var line = await db.EstimateLines.SingleAsync();
        Assert.Equal(("Front brake pads", 820m), (line.Description, line.Price));
        Assert.Equal(EstimateKind.AdditionalWork, (await db.Estimates.SingleAsync()).Kind);
    }

    [Fact]
    public async Task Invoice_reconciliation_and_settlement_follow_what_the_customer_approved()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.CompleteAsync(Step("Followup.RecordNeeds", Values(new { services = "OIL" })));
        await h.CompleteAsync(Step("Followup.RecordDecision", Input("approvedLines", "Object", "[\"OIL\"]", "Object")));

        // A charge nobody approved blocks the bill: settlement is refused until it is decided.
        await h.CompleteAsync(Step("Followup.RecordInvoice", Values(new { extraDescription = "Wiper blades", extraParts = "150" })));
        var again = await h.RunAsync(Step("Followup.RecordInvoice"));
        Assert.Contains("has an invoice already", again.Incidents.Single().Message, StringComparison.Ordinal);
        var (_, outcome) = await h.CompleteAsync(Step("Followup.ReconcileInvoice"));
        Assert.Equal("Overrun", outcome);
        var refused = await h.RunAsync(Step("Followup.RecordSettlement", Values(new { payment = "card" })));
        Assert.Contains("cannot be settled", refused.Incidents.Single().Message, StringComparison.Ordinal);

        // Declined, the charge comes off; the bill matches and is settled.
        await h.CompleteAsync(Step("Followup.RecordDecision", Input("approvedLines", "Object", "[]", "Object")));
        Assert.Equal("Matched", (await h.CompleteAsync(Step("Followup.ReconcileInvoice"))).Outcome);
        await h.CompleteAsync(Step("Followup.RecordSettlement", Values(new { payment = "wechat" })));
        await using var db = await h.DbAsync();
        var invoice = await db.Invoices.Include(i => i.Lines).SingleAsync();
        Assert.Equal((InvoiceStatus.Settled, "wechat", 480m), (invoice.Status, invoice.PaymentMethod, invoice.Total));
        // The bill keeps what it came to and what the customer had approved on the estimate, for the dashboard.
        Assert.Equal((480m, 480m), (invoice.SettledTotal, invoice.EstimatedTotal));
    }

    [Fact]
    public async Task DetectComeback_LinksTheSameConcernWithinTheWindow_AndNotAnother()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await using (var db = await h.DbAsync())
        {
            var now = h.Clock.GetUtcNow().UtcDateTime;
            db.Visits.Add(new Visit { Id = "visit-0", Number = "RO-2026-000000", CustomerId = "customer-1", VehicleId = "vehicle-1", Status = VisitStatus.Delivered, DeliveredAt = now.AddDays(-10), CreatedAt = now.AddDays(-11), UpdatedAt = now });
            db.Concerns.Add(new Concern { VisitId = "visit-0", Text = "Front brakes squeak when stopping" });
            db.Concerns.Add(new Concern { VisitId = ActivityHarness.VisitId, Text = "Squeak from the front brakes when stopping" });
            await db.SaveChangesAsync();
        }
        Assert.Equal("Comeback", (await h.CompleteAsync(Step("Followup.DetectComeback"))).Outcome);
        var visit = await h.VisitAsync();
        Assert.Equal(("visit-0", null), (visit.ComebackOf, visit.Technician)); // the technical leads take it by role, in the comeback workflow

        await using (var db = await h.DbAsync())
        {
            await db.Concerns.Where(c => c.VisitId == ActivityHarness.VisitId).ExecuteDeleteAsync();
            db.Concerns.Add(new Concern { VisitId = ActivityHarness.VisitId, Text = "Air conditioning is warm" });
            await db.Comebacks.ExecuteDeleteAsync();
            await db.SaveChangesAsync();
        }
        Assert.Equal("FirstTime", (await h.CompleteAsync(Step("Followup.DetectComeback"))).Outcome);
    }

    [Fact]
    public async Task The_old_step_type_runs_the_step_it_became()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.CompleteAsync(Activity("step", "Followup.RecordVisitStep", string.Join(",",
            Input("visitId", "String", ActivityHarness.VisitId), Input("step", "String", "CheckIn"),
            Input("values", "Object", """{ "odometer": "9000", "fuel": "full" }""", "Object"))));
        await using var db = await h.DbAsync();
        Assert.Equal((9000, "full"), ((await db.CheckIns.SingleAsync()).Odometer, (await db.CheckIns.SingleAsync()).FuelLevel));
        var unknown = await h.RunAsync(Activity("step", "Followup.RecordVisitStep", Input("visitId", "String", ActivityHarness.VisitId) + "," + Input("step", "String", "Teleport")));
        Assert.Contains("Unknown visit step 'Teleport'", unknown.Incidents.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadVisit_GivesTheCustomersNumberOnlyWithConsent()
    {
        await using var h = await ActivityHarness.OpenAsync(customer: c => c.SmsConsent = false);
        var (result, _) = await h.CompleteAsync(Output(Step("Followup.LoadVisit"), "result", "Visit"),
            variables: """{ "id": "Visit", "name": "Visit", "typeName": "Object" }""");
        var model = Assert.IsType<Dictionary<string, object?>>(result.Variables.GetValueOrDefault("Visit") ?? throw new Xunit.Sdk.XunitException("no Visit variable"), exactMatch: false);
        Assert.Equal((ActivityHarness.Number, (object?)null, "li.wei@example.com"), (model["Number"], model["Phone"], model["Email"]));
    }
}
