using Followup.Activities.Data;
using Followup.Activities.Service;
using Followup.Host.Security;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Host.Api;

/// <summary>
/// The service process's records: the menu catalog, appointments (booking starts the appointment workflow; arrival opens
/// the visit), and a visit's whole record. Staff by cookie, integrations by API key; bad input is a ValidationProblem
/// naming the field and writes nothing.
/// </summary>
public static class ServiceApi
{
    public sealed record AppointmentInput(string? CustomerId, string? VehicleId, DateTimeOffset? SlotAt, string? Request, string? Channel, string? Advisor);

    public sealed record CatalogInput(string? NameZh, string? NameEn, decimal? LabourHours, decimal? PartsPrice, decimal? MenuPrice, bool? PartsInStock, int? IntervalKm);

    private static readonly string[] AppointmentChannels = ["staff", "self-service", "dms"];

    public static WebApplication MapServiceApi(this WebApplication app)
    {
        var staff = app.MapGroup("/api").WithTags("Service process")
            .RequireStaffOrApiKey(Roles.Manager, Roles.Advisor);

        staff.MapGet("/catalog", async (IDbContextFactory<DealershipDbContext> factory, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            return Results.Ok(new { items = (await db.Catalog.AsNoTracking().ToListAsync(ct)).OrderBy(c => c.Code, StringComparer.Ordinal) });
        }).WithSummary("The menu catalog: items with labour hours, parts and menu price.");
        staff.MapPut("/catalog/{code}", async (string code, CatalogInput input, HttpContext context, IDbContextFactory<DealershipDbContext> factory, TimeProvider clock, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            if (code.Length is 0 or > 20 || !code.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)))
                errors["code"] = ["The code is 1–20 capital letters or digits."];
            if (string.IsNullOrWhiteSpace(input.NameZh) || string.IsNullOrWhiteSpace(input.NameEn))
                errors["name"] = ["The item needs its Chinese and English names."];
            if (input.LabourHours is not { } hours || hours < 0 || hours > 100)
                errors["labourHours"] = ["Labour hours are between 0 and 100."];
            if (input.PartsPrice is not { } parts || parts < 0)
                errors["partsPrice"] = ["The parts price cannot be negative."];
            if (input.MenuPrice is not { } menu || menu < (input.PartsPrice ?? 0))
                errors["menuPrice"] = ["The menu price covers at least the parts."];
            if (errors.Count > 0)
                return Results.ValidationProblem(errors);
            await using var db = await factory.CreateDbContextAsync(ct);
            var item = await db.Catalog.FirstOrDefaultAsync(c => c.Code == code, ct);
            if (item is null)
                db.Catalog.Add(item = new CatalogItem { Code = code, NameZh = "", NameEn = "" });
            item.NameZh = input.NameZh!.Trim();
            item.NameEn = input.NameEn!.Trim();
            item.LabourHours = input.LabourHours!.Value;
            item.PartsPrice = input.PartsPrice!.Value;
            item.MenuPrice = input.MenuPrice!.Value;
            item.PartsInStock = input.PartsInStock ?? true;
            item.IntervalKm = input.IntervalKm;
            db.Audit.Add(CustomersApi.Audit(context, "saved", "CatalogItem", code, input, clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(ct);
            return Results.Ok(item);
        }).RequireAuthorization(Policies.Manager).WithSummary("Add or change a menu item (managers).");

        staff.MapPost("/appointments", async (AppointmentInput input, HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk desk, TimeProvider clock, CancellationToken ct) =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await using var db = await factory.CreateDbContextAsync(ct);
            var (key, answer) = await Idempotency.BeginAsync(context, db, input, ct);
            if (answer != null)
                return answer;
            var vehicle = input.VehicleId is null ? null : await db.Vehicles.AsNoTracking().FirstOrDefaultAsync(v => v.Id == input.VehicleId, ct);
            var errors = new Dictionary<string, string[]>();
            if (vehicle is null)
                errors["vehicleId"] = ["No vehicle with this id."];
            else if (input.CustomerId is { } customerId && customerId != vehicle.CustomerId)
                errors["customerId"] = ["The vehicle belongs to another customer."];
            if (input.SlotAt is not { } slot || slot.UtcDateTime <= now || slot.UtcDateTime > now.AddYears(1))
                errors["slotAt"] = ["The slot is a time in the coming year."];
            if (input.Request is { Length: > 500 })
                errors["request"] = ["The request is at most 500 characters."];
            if (input.Channel is { } channel && !AppointmentChannels.Contains(channel))
                errors["channel"] = [$"The channel is one of {string.Join(", ", AppointmentChannels)}."];
            if (errors.Count > 0)
                return Results.ValidationProblem(errors);
            return await Idempotency.CreateAsync(context, factory, key,
                () => desk.BookAsync(db, vehicle!, input.SlotAt!.Value.UtcDateTime, input.Request, input.Channel ?? "staff", input.Advisor, CustomersApi.Actor(context), input, ct, key),
                a => $"/api/appointments/{a.Id}", ct);
        }).WithSummary("Book an appointment: the appointment workflow confirms it, reminds the customer and follows up a no-show.");

        staff.MapGet("/appointments", async (IDbContextFactory<DealershipDbContext> factory, TimeProvider clock, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        {
            var start = from?.UtcDateTime ?? clock.GetUtcNow().UtcDateTime.Date;
            var end = to?.UtcDateTime ?? start.AddDays(7);
            await using var db = await factory.CreateDbContextAsync(ct);
            return Results.Ok(new { items = await db.Appointments.AsNoTracking().Where(a => a.SlotAt >= start && a.SlotAt < end).OrderBy(a => a.SlotAt).ToListAsync(ct) });
        }).WithSummary("Appointments in a period (default: the coming week).");

        staff.MapPost("/appointments/{id}/arrive", async (string id, HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk desk, IWorkflowRuntime runtime, TimeProvider clock, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await db.Appointments.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } appointment)
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such appointment");
            if (appointment.Status is not (AppointmentStatus.Booked or AppointmentStatus.NoShow))
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The appointment is {appointment.Status}");
            appointment.Status = AppointmentStatus.Arrived;
            appointment.ArrivedAt = clock.GetUtcNow().UtcDateTime;
            var vehicle = await db.Vehicles.AsNoTracking().FirstAsync(v => v.Id == appointment.VehicleId, ct);
            var visit = await desk.OpenAsync(db, vehicle, appointment.Advisor ?? CustomersApi.Actor(context), appointment, null, CustomersApi.Actor(context), new { appointmentId = id }, ct);
            appointment.VisitId = visit.Id;
            await db.SaveChangesAsync(ct);
            await runtime.TriggerAsync(AppointmentArrivedStimulus.Name, new AppointmentArrivedStimulus(id), new TriggerOptions { StartNew = false }, ct);
            return Results.Created($"/api/visits/{visit.Id}", visit);
        }).WithSummary("Check in an appointment customer: opens the visit with priority (their own advisor) and ends the no-show wait.");

        staff.MapGet("/audit", async (IDbContextFactory<DealershipDbContext> factory, CancellationToken ct, string? entityType = null, string? entityId = null, int take = 100) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var query = db.Audit.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(entityType))
                query = query.Where(a => a.EntityType == entityType);
            if (!string.IsNullOrWhiteSpace(entityId))
                query = query.Where(a => a.EntityId == entityId);
            return Results.Ok(new { items = await query.OrderByDescending(a => a.Id).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct) });
        }).RequireAuthorization(Policies.Manager).WithSummary("Who changed what and when (managers): staff, integrations and workflow steps, newest first.");

        staff.MapGet("/visits/{id}", async (string id, IDbContextFactory<DealershipDbContext> factory, Followup.Activities.Approvals.ApprovalStore store, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await db.Visits.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id || v.Number == id, ct) is not { } visit)
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such visit");
            return Results.Ok(new
            {
                visit,
                checkIn = await db.CheckIns.AsNoTracking().FirstOrDefaultAsync(c => c.VisitId == visit.Id, ct),
                concerns = await db.Concerns.AsNoTracking().Where(c => c.VisitId == visit.Id).OrderBy(c => c.Id).ToListAsync(ct),
                estimates = (await db.Estimates.AsNoTracking().Include(e => e.Lines).Where(e => e.VisitId == visit.Id).ToListAsync(ct)).OrderBy(e => e.CreatedAt),
                invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).FirstOrDefaultAsync(i => i.VisitId == visit.Id, ct),
                callbacks = await db.Callbacks.AsNoTracking().Where(c => c.VisitId == visit.Id).ToListAsync(ct),
                reminders = await db.Reminders.AsNoTracking().Where(r => r.VisitId == visit.Id).ToListAsync(ct),
                comeback = await db.Comebacks.AsNoTracking().FirstOrDefaultAsync(c => c.VisitId == visit.Id, ct),
                approvals = (await store.ListByCorrelationAsync(visit.Number, ct)).Select(a => new
                {
                    a.Id, a.Kind, a.Status, a.Decision, approvedLines = a.ApprovedLines is null ? (System.Text.Json.JsonElement?)null : System.Text.Json.JsonDocument.Parse(a.ApprovedLines).RootElement,
                    a.DecidedBy, a.DecidedVia, a.SignedName, a.DecidedAt, a.ExpiresAt, a.CreatedAt,
                }),
            });
        }).WithSummary("A visit's whole record: check-in, concerns, estimates, the customer's approvals (who, when, how, what), invoice, callback, reminder, comeback link.");
        return app;
    }
}
