using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Activities.Service;
using Followup.Host.Api.Views;
using Followup.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Followup.Host.Api;

/// <summary>
/// The service process's records: the menu catalog, appointments (booking starts the appointment workflow; arrival opens
/// the visit), and a visit's whole record. Staff by cookie, integrations by API key; bad input is a ValidationProblem
/// naming the field and writes nothing.
/// </summary>
public static class ServiceApi
{
    /// <summary>A booking; a slot already holding its capacity takes it only from a manager who says <c>override</c>.</summary>
    public sealed record AppointmentInput(string? CustomerId, string? VehicleId, DateTimeOffset? SlotAt, string? Request, string? Channel, string? Advisor, bool? Override = null);

    public sealed record CatalogInput(string? NameZh, string? NameEn, decimal? LabourHours, decimal? PartsPrice, decimal? MenuPrice, bool? PartsInStock, int? IntervalKm);

    /// <summary>An advisor's comeback flag: set (with the earlier visit, by default the car's last delivered one) or cleared, always with a reason.</summary>
    public sealed record ComebackInput(bool? Comeback, string? Reason, string? OriginalVisit);

    public const string ComebackWorkflow = "comeback";

    /// <summary>Why an appointment is cancelled (the customer called, the workshop is short of a technician).</summary>
    public sealed record CancelInput(string? Reason);

    /// <summary>The new slot of an appointment.</summary>
    public sealed record RescheduleInput(DateTimeOffset? SlotAt, bool? Override = null);

    /// <summary>A full slot refused: staff bookings respect the slot's capacity, which only a manager may exceed.</summary>
    private static async Task<ProblemHttpResult?> FullAsync(DealershipDbContext db, FrontDesk desk, HttpContext context, DateTime slot, string? except, bool? over, CancellationToken ct)
    {
        var state = await desk.SlotAsync(db, slot, except, ct);
        if (state.Takes(context.User.IsInRole(Roles.Manager), over == true))
            return null;
        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The slot is full",
            detail: $"{state.Taken} of {state.Capacity} bookings taken. Choose another slot; a manager may book over capacity with override: true.");
    }

    private static readonly string[] AppointmentChannels = ["staff", "self-service", "dms"];

    public static WebApplication MapServiceApi(this WebApplication app)
    {
        var staff = app.MapGroup("/api").WithTags("Service process")
            .RequireStaffOrApiKey(Roles.Manager, Roles.Advisor);

        staff.MapGet("/catalog", async Task<Ok<ItemList<CatalogItemView>>> (IDbContextFactory<DealershipDbContext> factory, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            return TypedResults.Ok(new ItemList<CatalogItemView>((await db.Catalog.AsNoTracking().ToListAsync(ct)).OrderBy(c => c.Code, StringComparer.Ordinal).Select(CatalogItemView.From).ToList()));
        }).WithSummary("The menu catalog: items with labour hours, parts and menu price.");
        staff.MapPut("/catalog/{code}", async Task<Results<Ok<CatalogItemView>, ValidationProblem>> (string code, CatalogInput input, HttpContext context, IDbContextFactory<DealershipDbContext> factory, TimeProvider clock, CancellationToken ct) =>
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
                return TypedResults.ValidationProblem(errors);
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
            return TypedResults.Ok(CatalogItemView.From(item));
        }).RequireAuthorization(Policies.Manager).WithSummary("Add or change a menu item (managers).");

        staff.MapPost("/appointments", async Task<Results<Created<AppointmentView>, ValidationProblem, ProblemHttpResult, IdempotentAnswer>> (AppointmentInput input, HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk desk, TimeProvider clock, CancellationToken ct) =>
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
                return TypedResults.ValidationProblem(errors);
            if (await FullAsync(db, desk, context, input.SlotAt!.Value.UtcDateTime, null, input.Override, ct) is { } full)
                return full;
            var (appointment, replay) = await Idempotency.CreateAsync(context, factory, key,
                () => desk.BookAsync(db, vehicle!, input.SlotAt!.Value.UtcDateTime, input.Request, input.Channel ?? "staff", input.Advisor, CustomersApi.Actor(context), input, ct, key), ct);
            return replay is not null ? replay : TypedResults.Created($"/api/appointments/{appointment!.Id}", AppointmentView.From(appointment));
        }).WithSummary("Book an appointment: the appointment workflow confirms it, reminds the customer and follows up a no-show.");

        staff.MapGet("/appointments", async Task<Ok<ItemList<AppointmentView>>> (IDbContextFactory<DealershipDbContext> factory, TimeProvider clock, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        {
            var start = from?.UtcDateTime ?? clock.GetUtcNow().UtcDateTime.Date;
            var end = to?.UtcDateTime ?? start.AddDays(7);
            await using var db = await factory.CreateDbContextAsync(ct);
            return TypedResults.Ok(new ItemList<AppointmentView>((await db.Appointments.AsNoTracking().Where(a => a.SlotAt >= start && a.SlotAt < end).OrderBy(a => a.SlotAt).ToListAsync(ct)).Select(AppointmentView.From).ToList()));
        }).WithSummary("Appointments in a period (default: the coming week).");

        staff.MapPost("/appointments/{id}/arrive", async Task<Results<Created<VisitView>, ProblemHttpResult>> (string id, HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk desk, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await db.Appointments.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } appointment)
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such appointment");
            if (await desk.ArriveAsync(db, appointment, CustomersApi.Actor(context), ct) is not { } visit)
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The appointment is {appointment.Status}");
            return TypedResults.Created($"/api/visits/{visit.Id}", VisitView.From(visit));
        }).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).WithSummary("Check in an appointment customer: opens the visit with priority (their own advisor) and ends the no-show wait.");

        staff.MapPost("/appointments/{id}/cancel", async Task<Results<Ok<AppointmentView>, ValidationProblem, ProblemHttpResult>> (string id, CancelInput input, HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk desk, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await db.Appointments.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } appointment)
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such appointment");
            if (string.IsNullOrWhiteSpace(input.Reason) || input.Reason.Trim().Length > 500)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["Give the reason for the cancellation (at most 500 characters)."] });
            if (appointment.Status != AppointmentStatus.Booked)
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"Only a booked appointment can be cancelled; this one is {appointment.Status}");
            await desk.CancelAndTellAsync(db, appointment, CustomersApi.Actor(context), input.Reason.Trim(), ct);
            return TypedResults.Ok(AppointmentView.From(appointment));
        }).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Cancel a booked appointment with a reason: its workflow ends (no reminder, no no-show follow-up) and the customer is told.");

        staff.MapPost("/appointments/{id}/reschedule", async Task<Results<Ok<AppointmentView>, ValidationProblem, ProblemHttpResult>> (string id, RescheduleInput input, HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk desk,
            TimeProvider clock, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await db.Appointments.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } appointment)
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such appointment");
            var now = clock.GetUtcNow().UtcDateTime;
            if (input.SlotAt is not { } slot || slot.UtcDateTime <= now || slot.UtcDateTime > now.AddYears(1))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["slotAt"] = ["The new slot is a time in the coming year."] });
            if (appointment.Status != AppointmentStatus.Booked)
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"Only a booked appointment can be moved; this one is {appointment.Status}");
            if (slot.UtcDateTime == appointment.SlotAt)
                return TypedResults.Ok(AppointmentView.From(appointment));
            if (await FullAsync(db, desk, context, slot.UtcDateTime, appointment.Id, input.Override, ct) is { } full)
                return full;
            await desk.RescheduleAsync(db, appointment, slot.UtcDateTime, CustomersApi.Actor(context), ct);
            return TypedResults.Ok(AppointmentView.From(appointment));
        }).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Move a booked appointment to another slot: the customer gets a confirmation of the new time and the reminder before it.");

        staff.MapGet("/audit", async Task<Ok<ItemList<AuditView>>> (IDbContextFactory<DealershipDbContext> factory, CancellationToken ct, string? entityType = null, string? entityId = null, int take = 100) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var query = db.Audit.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(entityType))
                query = query.Where(a => a.EntityType == entityType);
            if (!string.IsNullOrWhiteSpace(entityId))
                query = query.Where(a => a.EntityId == entityId);
            return TypedResults.Ok(new ItemList<AuditView>((await query.OrderByDescending(a => a.Id).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct)).Select(AuditView.From).ToList()));
        }).RequireAuthorization(Policies.Manager).WithSummary("Who changed what and when (managers): staff, integrations and workflow steps, newest first.");

        staff.MapPost("/visits/{id}/comeback", async Task<Results<Ok<VisitView>, ValidationProblem, ProblemHttpResult>> (string id, ComebackInput input, HttpContext context, IDbContextFactory<DealershipDbContext> factory,
            FrontDesk desk, TimeProvider clock, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await db.Visits.FirstOrDefaultAsync(v => v.Id == id || v.Number == id, ct) is not { } visit)
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such visit");
            var errors = new Dictionary<string, string[]>();
            if (input.Comeback is null)
                errors["comeback"] = ["Say whether the visit is a comeback (true) or not (false)."];
            if (string.IsNullOrWhiteSpace(input.Reason) || input.Reason.Trim().Length > 500)
                errors["reason"] = ["Give the reason for the change (at most 500 characters)."];
            var existing = await db.Comebacks.FirstOrDefaultAsync(c => c.VisitId == visit.Id, ct);
            Visit? original = null;
            if (input.Comeback == true && errors.Count == 0)
            {
                if (existing != null)
                    return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The visit is already a comeback");
                original = await db.Visits.AsNoTracking()
                    .Where(v => v.VehicleId == visit.VehicleId && v.Id != visit.Id && v.DeliveredAt != null && v.DeliveredAt <= visit.CreatedAt
                        && (input.OriginalVisit == null || v.Id == input.OriginalVisit || v.Number == input.OriginalVisit))
                    .OrderByDescending(v => v.DeliveredAt).FirstOrDefaultAsync(ct);
                if (original is null)
                    errors["originalVisit"] = [input.OriginalVisit is null ? "This car has no earlier delivered visit to come back from." : $"'{input.OriginalVisit}' is not an earlier delivered visit of this car."];
            }
            else if (input.Comeback == false && existing is null && errors.Count == 0)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The visit is not a comeback");
            }
            if (errors.Count > 0)
                return TypedResults.ValidationProblem(errors);
            var now = clock.GetUtcNow().UtcDateTime;
            var reason = input.Reason!.Trim();
            if (original != null)
            {
                var concern = await db.Concerns.AsNoTracking().Where(c => c.VisitId == visit.Id).OrderBy(c => c.Id).Select(c => c.Text).FirstOrDefaultAsync(ct) ?? reason;
                db.Comebacks.Add(new Comeback { Id = Guid.CreateVersion7().ToString("N"), VisitId = visit.Id, OriginalVisitId = original.Id, Concern = concern, CreatedAt = now, SetBy = CustomersApi.Actor(context), Reason = reason });
                visit.ComebackOf = original.Id;
            }
            else
            {
                db.Comebacks.Remove(existing!);
                visit.ComebackOf = null;
            }
            visit.UpdatedAt = now;
            db.Audit.Add(CustomersApi.Audit(context, input.Comeback == true ? "comeback:set" : "comeback:cleared", "Visit", visit.Id, new { reason, original = original?.Number }, now));
            await db.SaveChangesAsync(ct);
            if (original != null)
                await desk.StartAsync(ComebackWorkflow, visit.Number, "VisitId", visit.Id, ct);
            return TypedResults.Ok(VisitView.From(visit));
        }).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Set or clear a visit's comeback flag by hand, with a reason (audited); set, the comeback workflow gives it to the technical leads.");

        staff.MapGet("/visits/{id}", async Task<Results<Ok<VisitRecordView>, ProblemHttpResult>> (string id, IDbContextFactory<DealershipDbContext> factory, Followup.Activities.Approvals.ApprovalStore store, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await db.Visits.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id || v.Number == id, ct) is not { } visit)
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such visit");
            return TypedResults.Ok(new VisitRecordView(
                VisitView.From(visit),
                await db.CheckIns.AsNoTracking().FirstOrDefaultAsync(c => c.VisitId == visit.Id, ct) is { } checkIn ? CheckInView.From(checkIn) : null,
                (await db.Concerns.AsNoTracking().Where(c => c.VisitId == visit.Id).OrderBy(c => c.Id).ToListAsync(ct)).Select(ConcernView.From).ToList(),
                (await db.Estimates.AsNoTracking().Include(e => e.Lines).Where(e => e.VisitId == visit.Id).ToListAsync(ct)).OrderBy(e => e.CreatedAt).Select(EstimateView.From).ToList(),
                await db.Invoices.AsNoTracking().Include(i => i.Lines).FirstOrDefaultAsync(i => i.VisitId == visit.Id, ct) is { } invoice ? InvoiceView.From(invoice) : null,
                (await db.Callbacks.AsNoTracking().Where(c => c.VisitId == visit.Id).ToListAsync(ct)).Select(CallbackView.From).ToList(),
                (await db.Reminders.AsNoTracking().Where(r => r.VisitId == visit.Id).ToListAsync(ct)).Select(ReminderView.From).ToList(),
                await db.Comebacks.AsNoTracking().FirstOrDefaultAsync(c => c.VisitId == visit.Id, ct) is { } comeback ? ComebackView.From(comeback) : null,
                (await store.ListByCorrelationAsync(visit.Number, ct)).Select(ApprovalView.From).ToList()));
        }).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("A visit's whole record: check-in, concerns, estimates, the customer's approvals (who, when, how, what), invoice, callback, reminder, comeback link.");
        return app;
    }
}
