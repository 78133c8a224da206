using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Followup.Activities.Data;
using Followup.Host.Security;
using Followup.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Host.Tests;

/// <summary>The manager's dashboard against a small data set whose figures were worked out by hand.</summary>
public sealed class DashboardTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static DateTime At(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    private static Visit Visit(string id, string advisor, DateTime created, int greetMinutes, DateTime? promised = null, DateTime? ready = null, DateTime? delivered = null) => new()
    {
        Id = id, Number = "RO-" + id, CustomerId = "c", VehicleId = "v", Advisor = advisor, CreatedAt = created, UpdatedAt = created,
        GreetedAt = created.AddMinutes(greetMinutes), PromisedAt = promised, ReadyAt = ready, DeliveredAt = delivered,
        Status = delivered != null ? VisitStatus.Delivered : VisitStatus.Reception,
    };

    private static Estimate Estimate(string id, string visit, string kind, string status, DateTime created, int decideMinutes, params (string Key, decimal Price, bool? Approved)[] lines) => new()
    {
        Id = id, VisitId = visit, Kind = kind, Status = status, CreatedAt = created, DecidedAt = status == EstimateStatus.Pending ? null : created.AddMinutes(decideMinutes),
        Lines = [.. lines.Select(l => new EstimateLine { EstimateId = id, LineKey = l.Key, Description = l.Key, Labour = l.Price, Approved = l.Approved })],
    };

    /// <summary>A settled bill; <paramref name="kept"/> is what settlement keeps on it (null: settled before it kept them).</summary>
    private static Invoice Invoice(string visit, (decimal Settled, decimal Estimated)? kept, params (string Key, decimal Price)[] lines) => new()
    {
        Id = "inv-" + visit, VisitId = visit, Number = "INV-" + visit, Status = InvoiceStatus.Settled, CreatedAt = At(3, 1, 0),
        SettledTotal = kept?.Settled, EstimatedTotal = kept?.Estimated,
        Lines = [.. lines.Select(l => new InvoiceLine { InvoiceId = "inv-" + visit, LineKey = l.Key, Description = l.Key, Parts = l.Price })],
    };

    private static async Task SeedAsync(HostFactory host)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<DealershipDbContext>>().CreateDbContextAsync();
        db.Visits.AddRange(
            Visit("V1", "wang", At(3, 10, 9), 3, promised: At(3, 10, 12), ready: At(3, 10, 11, 30), delivered: At(3, 10, 13)),
            Visit("V2", "wang", At(3, 11, 10), 8, promised: At(3, 11, 12), ready: At(3, 11, 12, 30), delivered: At(3, 11, 15)),
            Visit("V3", "wang", At(3, 12, 8), 4),
            Visit("V4", "li", At(3, 20, 9), 5),
            Visit("V5", "wang", At(2, 15, 9), 1, promised: At(2, 15, 10), ready: At(2, 15, 11)));
        db.Estimates.AddRange(
            Estimate("E1", "V1", EstimateKind.Estimate, EstimateStatus.Approved, At(3, 10, 9, 20), 30, ("A", 300, true), ("B", 200, true)),
            Estimate("E1a", "V1", EstimateKind.AdditionalWork, EstimateStatus.PartiallyApproved, At(3, 10, 10), 10, ("C", 100, true), ("D", 50, false)),
            Estimate("E2", "V2", EstimateKind.Estimate, EstimateStatus.PartiallyApproved, At(3, 11, 10, 30), 60, ("E", 400, true), ("F", 100, false)),
            Estimate("E3", "V3", EstimateKind.Estimate, EstimateStatus.Declined, At(3, 12, 8, 30), 30, ("G", 900, false)),
            Estimate("E4", "V4", EstimateKind.Estimate, EstimateStatus.Pending, At(3, 20, 9, 30), 0, ("H", 100, null)),
            Estimate("E5", "V5", EstimateKind.Estimate, EstimateStatus.Declined, At(2, 15, 9, 10), 5, ("I", 100, false)));
        // V1's bill kept its figures when it was settled; V2's was settled before bills kept them.
        db.Invoices.AddRange(Invoice("V1", (600, 500), ("A", 300), ("B", 200), ("C", 100)), Invoice("V2", null, ("E", 400)));
        // V2's warranty work, approved and billed to the maker: summed from its lines, it costs the customer nothing.
        db.EstimateLines.Add(new EstimateLine { EstimateId = "E2", LineKey = "W", Description = "W", Labour = 250, Approved = true, PayType = PayType.Warranty });
        db.InvoiceLines.Add(new InvoiceLine { InvoiceId = "inv-V2", LineKey = "W", Description = "W", Labour = 250, PayType = PayType.Warranty });
        db.Callbacks.AddRange(
            new CallbackRecord { Id = "CB1", VisitId = "V1", Status = CallbackStatus.Done, Score = 5, DoneAt = At(3, 13, 10) },
            new CallbackRecord { Id = "CB2", VisitId = "V2", Status = CallbackStatus.Done, Score = 2, DoneAt = At(3, 15, 10) });
        db.Comebacks.Add(new Comeback { Id = "CM1", VisitId = "V3", OriginalVisitId = "V5", Concern = "brakes" });
        db.Reminders.AddRange(
            new ReminderRecord { Id = "R1", VehicleId = "v", CustomerId = "c", VisitId = "V5", Basis = "date", SentAt = At(3, 5, 9), Status = ReminderStatus.Booked },
            new ReminderRecord { Id = "R2", VehicleId = "v", CustomerId = "c", VisitId = "V1", Basis = "date", SentAt = At(3, 6, 9), Status = ReminderStatus.Sent },
            new ReminderRecord { Id = "R3", VehicleId = "v", CustomerId = "c", VisitId = "V4", Basis = "mileage", SentAt = At(3, 7, 9), Status = ReminderStatus.FollowUp },
            new ReminderRecord { Id = "R4", VehicleId = "v", CustomerId = "c", VisitId = "V1", Basis = "date", SentAt = At(2, 1, 9), Status = ReminderStatus.Booked },
            new ReminderRecord { Id = "D1", Kind = ReminderKind.DeclinedWork, VehicleId = "v", CustomerId = "c", VisitId = "V1", Basis = "declined", SentAt = At(3, 8, 9), Status = ReminderStatus.Booked },
            new ReminderRecord { Id = "D2", Kind = ReminderKind.DeclinedWork, VehicleId = "v", CustomerId = "c", VisitId = "V3", Basis = "declined", SentAt = At(3, 9, 9), Status = ReminderStatus.Lapsed },
            new ReminderRecord { Id = "D3", Kind = ReminderKind.DeclinedWork, VehicleId = "v", CustomerId = "c", VisitId = "V4", Basis = "declined", SentAt = null, Status = ReminderStatus.Scheduled });
        db.Appointments.AddRange(
            new Appointment { Id = "A1", CustomerId = "c", VehicleId = "v", Advisor = "wang", SlotAt = At(3, 10, 9), Status = AppointmentStatus.Arrived },
            new Appointment { Id = "A2", CustomerId = "c", VehicleId = "v", Advisor = "wang", SlotAt = At(3, 14, 9), Status = AppointmentStatus.NoShow },
            new Appointment { Id = "A3", CustomerId = "c", VehicleId = "v", Advisor = "li", SlotAt = At(3, 20, 9), Status = AppointmentStatus.Arrived },
            new Appointment { Id = "A4", CustomerId = "c", VehicleId = "v", Advisor = "li", SlotAt = At(3, 28, 9), Status = AppointmentStatus.Booked },
            new Appointment { Id = "A5", CustomerId = "c", VehicleId = "v", Advisor = "wang", SlotAt = At(2, 10, 9), Status = AppointmentStatus.Arrived });
        await db.SaveChangesAsync();
    }

    private static (int, int) R(JsonElement report, string name) => (report.GetProperty(name).GetProperty("count").GetInt32(), report.GetProperty(name).GetProperty("of").GetInt32());

    [Fact]
    public async Task A_callback_not_yet_due_is_not_missed_and_its_days_are_counted_on_the_stores_calendar()
    {
        var store = await MarchOnThe20thAsync(
            [
                Visit("W1", "wang", At(3, 18, 1), 3, delivered: At(3, 18, 2)),   // delivered two days ago: its callback is not due yet
                Visit("W2", "wang", At(3, 15, 1), 3, delivered: At(3, 15, 2)),   // five days ago and never done: missed
                Visit("W3", "wang", At(3, 12, 19), 3, delivered: At(3, 12, 20)), // 04:00 on the 13th in Shanghai, called on the 16th: day 3
            ],
            [
                new CallbackRecord { Id = "CW1", VisitId = "W1" },
                new CallbackRecord { Id = "CW2", VisitId = "W2", Attempts = 3 },
                new CallbackRecord { Id = "CW3", VisitId = "W3", Status = CallbackStatus.Done, Score = 4, DoneAt = At(3, 16, 3) },
            ]);
        Assert.Equal((1, 2), R(store, "callbackWithin3Days"));
    }

    [Fact]
    public async Task A_callback_of_a_visit_not_delivered_is_not_counted_and_one_done_without_a_score_counts_as_done_but_not_scored()
    {
        var store = await MarchOnThe20thAsync(
            [
                Visit("U1", "wang", At(3, 10, 1), 3),                            // never delivered: its callback counts nowhere
                Visit("U2", "wang", At(3, 11, 1), 3, delivered: At(3, 11, 2)),   // called the next day, no score given
                Visit("U3", "wang", At(3, 12, 1), 3, delivered: At(3, 12, 2)),   // called the next day, a score outside 1–5
            ],
            [
                new CallbackRecord { Id = "CU1", VisitId = "U1" },
                new CallbackRecord { Id = "CU2", VisitId = "U2", Status = CallbackStatus.Done, DoneAt = At(3, 12, 3) },
                new CallbackRecord { Id = "CU3", VisitId = "U3", Status = CallbackStatus.Done, Score = 9, DoneAt = At(3, 13, 3) },
            ]);
        Assert.Equal((2, 2), R(store, "callbackWithin3Days"));
        // Neither done callback has a score from 1 to 5.
        Assert.Equal([0, 0, 0, 0, 0], store.GetProperty("satisfaction").EnumerateArray().Select(s => s.GetInt32()).ToArray());
    }

    /// <summary>March's figures as the manager sees them at 12:00 in Shanghai on the 20th, with these visits and callbacks.</summary>
    private static async Task<JsonElement> MarchOnThe20thAsync(Visit[] visits, CallbackRecord[] callbacks)
    {
        await using var host = new HostFactory();
        host.Clock.SetUtcNow(At(3, 20, 4));
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<DealershipDbContext>>().CreateDbContextAsync())
        {
            db.Visits.AddRange(visits);
            db.Callbacks.AddRange(callbacks);
            await db.SaveChangesAsync();
        }
        await host.AddStaffAsync("liu", "manager-pass-2026", Roles.Manager);
        var manager = await host.SignedInAsync("liu", "manager-pass-2026");
        return await manager.GetFromJsonAsync<JsonElement>("/api/kpis?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z");
    }

    [Fact]
    public async Task A_year_of_a_busy_store_has_more_visits_than_a_statement_takes_parameters_and_its_figures_still_come()
    {
        await using var host = new HostFactory();
        await SeedAsync(host);
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<DealershipDbContext>>().CreateDbContextAsync())
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            // 33,000 visits in 2025, each delivered: more than SQLite's 32,766 parameters.
            db.Visits.AddRange(Enumerable.Range(0, 33_000).Select(i => Visit($"Y{i}", "li", new DateTime(2025, 1, 1, 1, 0, 0, DateTimeKind.Utc).AddMinutes(i * 15), 2,
                delivered: new DateTime(2025, 1, 1, 3, 0, 0, DateTimeKind.Utc).AddMinutes(i * 15))));
            await db.SaveChangesAsync();
        }
        await host.AddStaffAsync("liu", "manager-pass-2026", Roles.Manager);
        var manager = await host.SignedInAsync("liu", "manager-pass-2026");

        var year = await manager.GetAsync("/api/kpis?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z");
        Assert.Equal(HttpStatusCode.OK, year.StatusCode);
        var figures = await year.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(33_000, figures.GetProperty("visits").GetInt32());
        Assert.Equal((33_000, 33_000), R(figures, "greetedWithinSla"));
        var page = await manager.GetAsync("/dashboard?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&lang=en");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("33000", (await page.Content.ReadAsStringAsync()).Replace(",", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public Task The_figures_for_the_store_and_for_one_advisor_match_the_worked_out_answers() => FiguresMatchAsync(new HostFactory());

    [Fact]
    public async Task On_PostgreSQL_the_figures_match_the_same_worked_out_answers()
    {
        var database = await postgres.CreateDatabaseAsync();
        var host = new HostFactory();
        host.Settings["Database:Provider"] = "Postgres";
        host.Settings["ConnectionStrings:Followup"] = database;
        await FiguresMatchAsync(host);
    }

    private static async Task FiguresMatchAsync(HostFactory factory)
    {
        await using var host = factory;
        await SeedAsync(host);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.CreateClient().GetAsync("/api/kpis")).StatusCode);

        await host.AddStaffAsync("liu", "manager-pass-2026", Roles.Manager);
        var manager = await host.SignedInAsync("liu", "manager-pass-2026");
        var store = await manager.GetFromJsonAsync<JsonElement>("/api/kpis?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z");
        Assert.Equal(4, store.GetProperty("visits").GetInt32());
        Assert.Equal(5.0, store.GetProperty("minutesToGreet").GetDouble());
        Assert.Equal((3, 4), R(store, "greetedWithinSla"));
        Assert.Equal((2, 3), R(store, "estimateApproval"));
        Assert.Equal(45.0, store.GetProperty("minutesToApprove").GetDouble());
        Assert.Equal((1, 2), R(store, "additionalWorkApproval"));
        Assert.Equal((1, 2), R(store, "promisedTimeKept"));
        Assert.Equal((900m, 1000m, 0.1111), (store.GetProperty("estimatedTotal").GetDecimal(), store.GetProperty("invoicedTotal").GetDecimal(), store.GetProperty("estimateInvoiceVariance").GetDouble()));
        Assert.Equal((1, 2), R(store, "callbackWithin3Days"));
        Assert.Equal([0, 1, 0, 0, 1], store.GetProperty("satisfaction").EnumerateArray().Select(s => s.GetInt32()).ToArray());
        Assert.Equal((1, 4), R(store, "comebacks"));
        Assert.Equal((1, 3), R(store, "reminderBooking")); // next-service reminders only
        Assert.Equal((1, 2), R(store, "declinedWorkBooked")); // follow-ups that went out, of which one was booked
        Assert.Equal((2, 3), R(store, "appointmentShow"));

        var wang = await manager.GetFromJsonAsync<JsonElement>("/api/kpis?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&advisor=wang");
        Assert.Equal(3, wang.GetProperty("visits").GetInt32());
        Assert.Equal(5.0, wang.GetProperty("minutesToGreet").GetDouble());
        Assert.Equal((2, 3), R(wang, "greetedWithinSla"));
        Assert.Equal((1, 3), R(wang, "comebacks"));
        Assert.Equal((1, 2), R(wang, "reminderBooking"));
        Assert.Equal((1, 2), R(wang, "appointmentShow"));

        // The page shows the same figures, with the count behind each rate.
        manager.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var page = System.Net.WebUtility.HtmlDecode(await manager.GetStringAsync("/dashboard?from=2026-03-01&to=2026-04-01&lang=en"));
        Assert.Contains("<div class=\"kpi\" id=\"estimate-approval\"><div>Estimate approval rate</div><div class=\"v\">66.7%</div><div class=\"n\">2 / 3</div>", page, StringComparison.Ordinal);
        Assert.Contains("<div class=\"v\">+11.1%</div>", page, StringComparison.Ordinal);
        Assert.Contains("<div class=\"kpi\" id=\"declined-booked\"><div>Declined work → booked</div><div class=\"v\">50.0%</div><div class=\"n\">1 / 2</div>", page, StringComparison.Ordinal);
        Assert.Contains("<title>5: 1</title>", page, StringComparison.Ordinal);
        Assert.Contains("<strong id=\"visits\">4</strong>", page, StringComparison.Ordinal);

        await host.AddStaffAsync("wang", "advisor-pass-2026", Roles.Advisor);
        await host.AddStaffAsync("zhang", "technician-pass-2026", Roles.Technician);
        // The advisor filter lists the advisors, not the manager or a technician.
        var filter = await manager.GetStringAsync("/dashboard?lang=en");
        Assert.Equal(["", "wang"], System.Text.RegularExpressions.Regex.Matches(filter[filter.IndexOf("name=\"advisor\"", StringComparison.Ordinal)..], "<option value(?:=\"([^\"]*)\")?[ >]")
            .Select(m => m.Groups[1].Value).ToArray());
        var advisor = await host.SignedInAsync("wang", "advisor-pass-2026");
        Assert.NotEqual(HttpStatusCode.OK, (await advisor.GetAsync("/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await manager.GetAsync("/api/kpis?from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z")).StatusCode);
    }
}
