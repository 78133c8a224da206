using Followup.Activities.Approvals;
using Followup.Activities.Data;
using Followup.Activities.Tasks;
using Followup.Host.Api;
using Microsoft.EntityFrameworkCore;

namespace Followup.Host.Hosting;

/// <summary>
/// The demo store (Development profile, <c>Demo:Seed</c>): customers and cars, a month of finished visits for the
/// dashboard, and live visits at different steps of the shipped workflow, moved there through the workflows themselves
/// so the inbox, board and messages show the whole process at once. Written once, into an empty store.
/// </summary>
public static class DemoData
{
    private sealed record Person(string Name, string Phone, string? Email, string Language, string Plate, string Model);

    private static readonly Person[] People =
    [
        new("王芳", "+86 138 0013 8001", "wang.fang@example.com", "zh-CN", "沪A·D1234", "朗逸"),
        new("李强", "+86 139 0013 8002", null, "zh-CN", "沪B·56789", "帕萨特"),
        new("张伟", "+86 137 0013 8003", "zhang.wei@example.com", "zh-CN", "苏E·A8888", "途观L"),
        new("Emily Chen", "+86 136 0013 8004", "emily.chen@example.com", "en", "沪C·12321", "Tiguan L"),
        new("刘洋", "+86 135 0013 8005", null, "zh-CN", "浙A·66E66", "速腾"),
        new("赵敏", "+86 133 0013 8006", "zhao.min@example.com", "zh-CN", "沪A·F0909", "高尔夫"),
    ];

    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var factory = services.GetRequiredService<IDbContextFactory<DealershipDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await db.Customers.AnyAsync(cancellationToken))
            return;
        var clock = services.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow().UtcDateTime;
        var vehicles = new List<Vehicle>();
        for (var i = 0; i < People.Length; i++)
        {
            var p = People[i];
            var customer = new Customer { Id = $"demo-customer-{i + 1}", Name = p.Name, Phone = Activities.Messaging.Phone.Normalize(p.Phone, "CN"), Email = p.Email, Language = p.Language, SmsConsent = true, EmailConsent = true, MarketingConsent = true, CreatedAt = now.AddDays(-400), UpdatedAt = now };
            var vin = Vin.WithCheckDigit($"LSVAB2BM0P{i + 1:D7}");
            var vehicle = new Vehicle { Id = $"demo-vehicle-{i + 1}", CustomerId = customer.Id, Vin = vin, Plate = p.Plate, Model = p.Model, Year = 2022, CreatedAt = now.AddDays(-400) };
            vehicle.Mileage.Add(new MileageReading { VehicleId = vehicle.Id, Kilometres = 12000 + i * 3000, ReadAt = now.AddDays(-180), Source = "demo" });
            vehicle.Mileage.Add(new MileageReading { VehicleId = vehicle.Id, Kilometres = 19000 + i * 4000, ReadAt = now.AddDays(-35), Source = "demo" });
            db.Customers.Add(customer);
            db.Vehicles.Add(vehicle);
            vehicles.Add(vehicle);
        }
        History(db, vehicles, now);
        await db.SaveChangesAsync(cancellationToken);

        // Live visits, each moved to its step by the workflow.
        var desk = services.GetRequiredService<FrontDesk>();
        var tasks = services.GetRequiredService<TaskService>();
        var approvals = services.GetRequiredService<ApprovalService>();
        var store = services.GetRequiredService<TaskStore>();
        var approvalStore = services.GetRequiredService<ApprovalStore>();
        var advisor = new StaffMember("advisor", ["Advisor"]);
        var technician = new StaffMember("technician", ["Technician"]);
        var manager = new StaffMember("manager", ["Manager"]); // the quality check is someone else's than the technician's

        async Task DoAsync(string number, string activityId, StaffMember who, string action, Dictionary<string, string?> values)
        {
            var task = (await store.ListByCorrelationAsync(number, cancellationToken)).First(t => t.ActivityId == activityId && t.Status == HumanTaskStatus.Open);
            await tasks.CompleteAsync(task.Id, who, action, values, "zh-CN", cancellationToken);
        }

        async Task<string> OpenAsync(Vehicle vehicle, int step)
        {
            var visit = await desk.OpenAsync(db, vehicle, "advisor", null, null, "demo", new { demo = true }, cancellationToken);
            var n = visit.Number;
            if (step >= 1)
            {
                await DoAsync(n, "reception", advisor, "Done", new() { ["greeted"] = "true" });
                await DoAsync(n, "preInspection", advisor, "Done", new()
                {
                    ["odometer"] = (20000 + step * 5000).ToString(System.Globalization.CultureInfo.InvariantCulture), ["fuel"] = "1/2", ["damage"] = "右后门轻微划痕",
                    ["covers"] = "true", ["wash"] = "yes", ["waiting"] = step % 2 == 0 ? "wait" : "leave", ["acknowledged"] = "true",
                });
                await DoAsync(n, "needs", advisor, "Done", new() { ["concerns"] = "刹车时有异响", ["services"] = "OIL,CABINF", ["warranty"] = "NotCovered", ["signed"] = "true" });
            }
            if (step >= 2)
            {
                var approval = (await approvalStore.ListByCorrelationAsync(n, cancellationToken)).Last();
                await approvals.DecideAsync(approval.Id, ["OIL", "CABINF", "diag-1"], "advisor", "in person", null, null, null, cancellationToken);
                await DoAsync(n, "handover", technician, "Done", new() { ["technician"] = "technician", ["received"] = "true" });
            }
            if (step >= 3)
            {
                await DoAsync(n, "work", technician, "WorkDone", []);
                await DoAsync(n, "qualityCheck", manager, "Passed", []);
                await DoAsync(n, "wash", technician, "Done", new() { ["done"] = "true" });
            }
            return n;
        }

        await OpenAsync(vehicles[0], 0);   // just arrived: the reception task is waiting
        await OpenAsync(vehicles[1], 1);   // the estimate waits for the customer's approval (link in the messages)
        await OpenAsync(vehicles[2], 2);   // in the workshop: the technician's work task
        await OpenAsync(vehicles[3], 3);   // ready: the bill waits to be explained and settled
        var tomorrow = now.Date.AddDays(1).AddHours(2); // 10:00 in Shanghai
        await desk.BookAsync(db, vehicles[4], tomorrow, "常规保养", "staff", "advisor", "demo", new { demo = true }, cancellationToken);
    }

    /// <summary>A month of finished visits with their estimates, bills, callbacks, reminders and appointments, for the dashboard.</summary>
    private static void History(DealershipDbContext db, List<Vehicle> vehicles, DateTime now)
    {
        var scores = new[] { 5, 4, 5, 3, 2, 5, 4, 5 };
        for (var i = 0; i < 8; i++)
        {
            var vehicle = vehicles[i % vehicles.Count];
            var arrived = now.Date.AddDays(-28 + i * 3).AddHours(1 + i % 3);
            var id = $"demo-history-{i + 1}";
            var advisor = i % 2 == 0 ? "advisor" : "manager";
            db.Visits.Add(new Visit
            {
                Id = id, Number = $"RO-{arrived:yyyy}-H{i + 1:D5}", CustomerId = vehicle.CustomerId, VehicleId = vehicle.Id, Status = VisitStatus.Delivered, Advisor = advisor, Technician = "technician",
                CreatedAt = arrived, UpdatedAt = arrived.AddHours(5), GreetedAt = arrived.AddMinutes(2 + i % 5), PromisedAt = arrived.AddHours(4), ReadyAt = arrived.AddHours(i == 3 ? 5 : 3.5),
                DeliveredAt = arrived.AddHours(5),
            });
            var estimateId = id + "-estimate";
            var estimate = new Estimate
            {
                Id = estimateId, VisitId = id, Kind = EstimateKind.Estimate, Status = EstimateStatus.Approved, CreatedAt = arrived.AddMinutes(20), DecidedAt = arrived.AddMinutes(35 + i * 3),
                Lines = [new EstimateLine { EstimateId = estimateId, LineKey = "OIL", Description = "更换机油及机油滤清器", Hours = 0.5m, Labour = 160, Parts = 320, Approved = true }],
            };
            db.Estimates.Add(estimate);
            var invoiceLines = new List<InvoiceLine> { new() { InvoiceId = id + "-invoice", LineKey = "OIL", Description = "更换机油及机油滤清器", Labour = 160, Parts = 320, ApprovedPrice = 480 } };
            if (i % 3 == 0)
            {
                var extraId = id + "-additional";
                db.Estimates.Add(new Estimate
                {
                    Id = extraId, VisitId = id, Kind = EstimateKind.AdditionalWork, Status = i == 6 ? EstimateStatus.Declined : EstimateStatus.Approved, CreatedAt = arrived.AddHours(1), DecidedAt = arrived.AddHours(1.2),
                    Lines = [new EstimateLine { EstimateId = extraId, LineKey = "BRAKEF", Description = "更换前刹车片", Hours = 1, Labour = 300, Parts = 520, Approved = i != 6 }],
                });
                if (i != 6)
                    invoiceLines.Add(new InvoiceLine { InvoiceId = id + "-invoice", LineKey = "BRAKEF", Description = "更换前刹车片", Labour = 300, Parts = 520, ApprovedPrice = 820 });
            }
            var invoice = new Invoice { Id = id + "-invoice", VisitId = id, Number = $"INV-{arrived:yyyy}-H{i + 1:D5}", Status = InvoiceStatus.Settled, CreatedAt = arrived.AddHours(4.5), SettledAt = arrived.AddHours(4.8), PaymentMethod = "wechat", Lines = invoiceLines };
            invoice.KeepTotals(estimate.Lines);
            db.Invoices.Add(invoice);
            if (arrived.AddDays(3) < now)
                db.Callbacks.Add(new CallbackRecord
                {
                    Id = id + "-callback", VisitId = id, Mode = "call", DueAt = arrived.AddDays(3), DeadlineAt = arrived.AddDays(15), Status = CallbackStatus.Done, Attempts = 1,
                    Score = scores[i], Resolved = scores[i] > 2, Escalated = scores[i] <= 2, Agent = "callback", DoneAt = arrived.AddDays(i == 5 ? 5 : 3).AddHours(2),
                });
            db.Reminders.Add(new ReminderRecord
            {
                Id = id + "-reminder", VehicleId = vehicle.Id, CustomerId = vehicle.CustomerId, VisitId = id, Basis = "date", DueAt = now.AddDays(-10 + i), CreatedAt = arrived,
                SentAt = now.AddDays(-24 + i), Status = i % 2 == 0 ? ReminderStatus.Booked : ReminderStatus.Sent,
            });
            db.Appointments.Add(new Appointment
            {
                Id = id + "-appointment", CustomerId = vehicle.CustomerId, VehicleId = vehicle.Id, SlotAt = arrived, Advisor = advisor, Channel = "staff",
                Status = i == 4 ? AppointmentStatus.NoShow : AppointmentStatus.Arrived, CreatedAt = arrived.AddDays(-3),
            });
        }
        db.Comebacks.Add(new Comeback { Id = "demo-comeback-1", VisitId = "demo-history-7", OriginalVisitId = "demo-history-1", Concern = "刹车时有异响", TechnicalLead = "lead", CreatedAt = now.AddDays(-10) });
    }
}
