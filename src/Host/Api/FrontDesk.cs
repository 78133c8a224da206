using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Activities.Service;
using Followup.Host.Api.Views;
using Followup.Host.Security;
using Followup.Workflows.Management;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Followup.Host.Api;

/// <summary>
/// The front desk: opens visits (numbers the repair order, audits it, starts the service-visit workflow) and books
/// appointments (answers the vehicle's open reminder, starts the appointment workflow).
/// </summary>
public sealed class FrontDesk(IWorkflowRuntime runtime, WorkflowDefinitionCache definitions, IWorkflowRunStore store, WorkflowQueries queries, TimeProvider clock, IConfiguration configuration,
    IOptions<MessagingOptions> messaging, IOptions<StoreOptions> shop, IOptions<SmsOptions> sms, OutboxStore outbox, IOutboxQueue queue, ILogger<FrontDesk> logger)
{
    /// <summary>Bookings one hourly slot takes (Service:SlotCapacity, 3 unless set): the self-service page offers only free slots, staff book over it only as a manager.</summary>
    public int SlotCapacity => shop.Value.SlotCapacity ?? configuration.GetValue("Service:SlotCapacity", 3);

    /// <summary>A bookable slot and how many bookings (booked or arrived) it holds.</summary>
    public sealed record Slot(DateTime At, int Taken, int Capacity)
    {
        public bool Full => Taken >= Capacity;
        public int Free => Math.Max(0, Capacity - Taken);

        /// <summary>The one capacity rule of staff bookings: a slot with room, or a full one a manager books over on purpose.</summary>
        public bool Takes(bool manager, bool over) => !Full || (manager && over);
    }

    /// <summary>
    /// The hourly slots of <paramref name="days"/> days from <paramref name="firstDay"/> days after today, within the
    /// store's hours (whole hours from opening to closing), each with the bookings it holds.
    /// </summary>
    public async Task<List<Slot>> SlotsAsync(DealershipDbContext db, int firstDay, int days, CancellationToken cancellationToken)
    {
        var zone = messaging.Value.Zone;
        var now = clock.GetUtcNow().UtcDateTime;
        var today = messaging.Value.StoreTime(now).Date;
        var slots = Enumerable.Range(firstDay, days).Select(d => today.AddDays(d)).SelectMany(day => HourlySlots(day, shop.Value.HoursOn(day.DayOfWeek)))
            .Select(local => TimeZoneInfo.ConvertTimeToUtc(local, zone)).Where(s => s > now).ToList();
        if (slots.Count == 0)
            return [];
        var taken = await TakenAsync(db, slots[0], slots[^1], cancellationToken);
        return slots.Select(s => new Slot(s, taken.GetValueOrDefault(s), SlotCapacity)).ToList();
    }

    /// <summary>A day's whole hours from opening (the next whole hour after it) to the last hour before closing.</summary>
    private static IEnumerable<DateTime> HourlySlots(DateTime day, (TimeOnly Opens, TimeOnly Closes)? hours)
    {
        if (hours is not { } open)
            yield break;
        var first = open.Opens.Minute == 0 ? open.Opens.Hour : open.Opens.Hour + 1;
        for (var hour = first; hour < open.Closes.Hour; hour++)
            yield return day.AddHours(hour);
    }

    /// <summary>The bookings a slot holds, this appointment (being moved) aside.</summary>
    public async Task<Slot> SlotAsync(DealershipDbContext db, DateTime at, string? except, CancellationToken cancellationToken)
    {
        var taken = await db.Appointments.AsNoTracking().CountAsync(a => a.SlotAt == at && a.Id != except && (a.Status == AppointmentStatus.Booked || a.Status == AppointmentStatus.Arrived), cancellationToken);
        return new Slot(at, taken, SlotCapacity);
    }

    private static async Task<Dictionary<DateTime, int>> TakenAsync(DealershipDbContext db, DateTime first, DateTime last, CancellationToken cancellationToken) =>
        (await db.Appointments.AsNoTracking().Where(a => a.SlotAt >= first && a.SlotAt <= last && (a.Status == AppointmentStatus.Booked || a.Status == AppointmentStatus.Arrived))
            .Select(a => a.SlotAt).ToListAsync(cancellationToken)).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>
    /// Checks in an appointment's customer: the appointment is Arrived, its visit opens with priority (their own
    /// advisor), and the appointment workflow's wait for arrival ends. Null when the appointment cannot arrive.
    /// </summary>
    public async Task<Visit?> ArriveAsync(DealershipDbContext db, Appointment appointment, string actor, CancellationToken cancellationToken)
    {
        if (appointment.Status is not (AppointmentStatus.Booked or AppointmentStatus.NoShow))
            return null;
        appointment.Status = AppointmentStatus.Arrived;
        appointment.ArrivedAt = clock.GetUtcNow().UtcDateTime;
        var vehicle = await db.Vehicles.AsNoTracking().FirstAsync(v => v.Id == appointment.VehicleId, cancellationToken);
        var visit = await OpenAsync(db, vehicle, appointment.Advisor ?? actor, appointment, null, actor, new { appointmentId = appointment.Id }, cancellationToken);
        appointment.VisitId = visit.Id;
        await db.SaveChangesAsync(cancellationToken);
        await runtime.TriggerAsync(AppointmentArrivedStimulus.Name, new AppointmentArrivedStimulus(appointment.Id), new TriggerOptions { StartNew = false }, cancellationToken);
        return visit;
    }

    /// <summary>
    /// Marks a booked customer who has not come as a no-show once their slot has begun: the appointment workflow
    /// records it and opens its follow-up call at once instead of at the end of the grace period. False when the slot
    /// has not begun, or no workflow waits for this appointment.
    /// </summary>
    public async Task<bool> NoShowAsync(Appointment appointment, CancellationToken cancellationToken)
    {
        if (appointment.Status != AppointmentStatus.Booked || appointment.SlotAt > clock.GetUtcNow().UtcDateTime)
            return false;
        var resumed = await runtime.TriggerAsync(AppointmentNoShowStimulus.Name, new AppointmentNoShowStimulus(appointment.Id), new TriggerOptions { StartNew = false }, cancellationToken);
        return resumed.Count > 0;
    }

    /// <summary>Cancels a booked appointment (<see cref="CancelAsync"/>) and tells the customer, with their consent.</summary>
    public async Task CancelAndTellAsync(DealershipDbContext db, Appointment appointment, string actor, string reason, CancellationToken cancellationToken)
    {
        await CancelAsync(db, appointment, actor, reason, cancellationToken);
        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.Id == appointment.CustomerId, cancellationToken);
        if (CustomerNotices.AppointmentCancelled(shop.Value, sms.Value, customer, appointment, messaging.Value.Show(appointment.SlotAt), clock.GetUtcNow().UtcDateTime) is { } notice)
        {
            await outbox.AddAsync([notice], cancellationToken);
            await queue.EnqueueAsync(notice.Id, cancellationToken);
        }
    }

    public string VisitWorkflow => configuration["Service:VisitWorkflow"] ?? "service-visit";
    public string AppointmentWorkflow => configuration["Service:AppointmentWorkflow"] ?? "appointment";

    /// <summary>
    /// Opens a visit: numbers the repair order, writes it with its audit entry (and the request's idempotency key) in
    /// one transaction, then starts its workflow. A visit saved just before a crash gets its workflow at the next start.
    /// </summary>
    public async Task<Visit> OpenAsync(DealershipDbContext db, Vehicle vehicle, string? advisor, Appointment? appointment, DateTime? promisedAt, string actor, object input,
        CancellationToken cancellationToken, Idempotency? idempotency = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var visit = new Visit
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Number = "",
            CustomerId = vehicle.CustomerId,
            VehicleId = vehicle.Id,
            PromisedAt = promisedAt,
            Advisor = advisor,
            AppointmentId = appointment?.Id,
            Priority = appointment != null,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            visit.Number = await NextNumberAsync(db, now, cancellationToken);
            db.Visits.Add(visit);
            // The car is here: its reminder has done its work (one live reminder per car; this visit schedules the next).
            foreach (var reminder in await db.OpenReminders(vehicle.Id).ToListAsync(cancellationToken))
                reminder.Status = ReminderStatus.Closed(reminder);
            db.Audit.Add(AuditEntry.Of(actor, "created", "Visit", visit.Id, now, input));
            idempotency?.Record(db, StatusCodes.Status201Created, $"/api/visits/{visit.Id}", VisitView.From(visit), now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await StartAsync(VisitWorkflow, visit.Number, "VisitId", visit.Id, cancellationToken);
        return visit;
    }

    /// <summary>
    /// Repair orders are numbered per year: RO-2026-000001, RO-2026-000002, … The year's series is advanced in one
    /// statement, which waits for any other writer: two desks at the same moment get two numbers, never the same one.
    /// Only a series not stored yet reads the year's visits, to start after the highest number among them: a stored
    /// one is advanced alone, so opening a visit costs the same in a store's first week and after a year of visits.
    /// </summary>
    private static async Task<string> NextNumberAsync(DealershipDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var prefix = $"RO-{now:yyyy}-";
        var next = await db.Database.SqlQueryRaw<long>(
            """
            UPDATE "NumberSeries" SET "Last" = "Last" + 1 WHERE "Name" = {0}
            RETURNING "Last" AS "Value"
            """, prefix).ToListAsync(cancellationToken);
        if (next.Count == 0)
            next = await db.Database.SqlQueryRaw<long>(
                """
                INSERT INTO "NumberSeries" ("Name", "Last")
                SELECT {0}, COALESCE(MAX(CAST(SUBSTR("Number", {1}) AS BIGINT)), 0) + 1 FROM "Visits" WHERE "Number" LIKE {2}
                ON CONFLICT ("Name") DO UPDATE SET "Last" = "NumberSeries"."Last" + 1
                RETURNING "Last" AS "Value"
                """, prefix, prefix.Length + 1, prefix + "%").ToListAsync(cancellationToken);
        return $"{prefix}{next[0]:D6}";
    }

    public async Task<Appointment> BookAsync(DealershipDbContext db, Vehicle vehicle, DateTime slotAt, string? request, string channel, string? advisor, string actor, object input,
        CancellationToken cancellationToken, Idempotency? idempotency = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var appointment = new Appointment
        {
            Id = Guid.CreateVersion7().ToString("N"),
            CustomerId = vehicle.CustomerId,
            VehicleId = vehicle.Id,
            SlotAt = slotAt,
            Request = request?.Trim(),
            Channel = channel,
            Advisor = advisor,
            CreatedAt = now,
        };
        db.Appointments.Add(appointment);
        // A booking answers the vehicle's open service reminder (reminder → booking conversion).
        foreach (var reminder in await db.OpenReminders(vehicle.Id).ToListAsync(cancellationToken))
        {
            reminder.Status = ReminderStatus.Booked;
            reminder.BookedAppointmentId = appointment.Id;
        }
        db.Audit.Add(AuditEntry.Of(actor, "booked", "Appointment", appointment.Id, now, input));
        idempotency?.Record(db, StatusCodes.Status201Created, $"/api/appointments/{appointment.Id}", AppointmentView.From(appointment), now);
        await db.SaveChangesAsync(cancellationToken);
        await StartAsync(AppointmentWorkflow, appointment.Id, "AppointmentId", appointment.Id, cancellationToken);
        return appointment;
    }

    /// <summary>
    /// Cancels a booked appointment (by staff or by the customer's reply): its status and audit entry, then the end of
    /// its workflow, so no reminder and no no-show follow-up come after.
    /// </summary>
    public async Task CancelAsync(DealershipDbContext db, Appointment appointment, string actor, string reason, CancellationToken cancellationToken)
    {
        appointment.Status = AppointmentStatus.Cancelled;
        db.Audit.Add(AuditEntry.Of(actor, "cancelled", "Appointment", appointment.Id, clock.GetUtcNow().UtcDateTime, new { reason }));
        await db.SaveChangesAsync(cancellationToken);
        await EndAppointmentWorkflowsAsync(appointment.Id, cancellationToken);
    }

    /// <summary>
    /// Moves a booked appointment to another slot: the running workflow ends and a new one confirms the new time and
    /// reminds the customer before it.
    /// </summary>
    public async Task RescheduleAsync(DealershipDbContext db, Appointment appointment, DateTime slotAt, string actor, CancellationToken cancellationToken)
    {
        var before = appointment.SlotAt;
        appointment.SlotAt = slotAt;
        db.Audit.Add(AuditEntry.Of(actor, "rescheduled", "Appointment", appointment.Id, clock.GetUtcNow().UtcDateTime, new { from = before, to = slotAt }));
        await db.SaveChangesAsync(cancellationToken);
        await EndAppointmentWorkflowsAsync(appointment.Id, cancellationToken);
        await StartAsync(AppointmentWorkflow, appointment.Id, "AppointmentId", appointment.Id, cancellationToken, $"{InstanceId(AppointmentWorkflow, appointment.Id)}-{Guid.CreateVersion7():N}");
    }

    private async Task EndAppointmentWorkflowsAsync(string appointmentId, CancellationToken cancellationToken)
    {
        var (running, _) = await queries.QueryInstancesAsync(new InstanceQuery { CorrelationId = appointmentId, Status = nameof(WorkflowStatus.Running), PageSize = 20 }, cancellationToken);
        foreach (var instance in running.Where(i => i.DefinitionId == AppointmentWorkflow))
            await runtime.CancelAsync(instance.Id, cancellationToken);
    }

    /// <summary>
    /// Starts the published workflow for a record, as the instance named after both (so it is started once); without a
    /// published workflow (not shipped, retracted) the record stands alone.
    /// </summary>
    public async Task StartAsync(string definitionId, string correlationId, string inputName, string id, CancellationToken cancellationToken, string? instanceId = null)
    {
        if (definitions.Published(definitionId) is null)
        {
            HostLog.NoPublishedWorkflow(logger, definitionId);
            return;
        }
        await runtime.StartAsync(new StartWorkflowRequest
        {
            DefinitionId = definitionId,
            InstanceId = instanceId ?? InstanceId(definitionId, id),
            CorrelationId = correlationId,
            Input = new Dictionary<string, object?> { [inputName] = id },
        }, cancellationToken);
    }

    public static string InstanceId(string definitionId, string recordId) => $"{definitionId}-{recordId}";

    /// <summary>
    /// At start: open visits and coming appointments saved just before a crash, whose workflow never started, get it now.
    /// </summary>
    public async Task RecoverAsync(DealershipDbContext db, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-30);
        var visits = await db.Visits.AsNoTracking().Where(v => v.Status != VisitStatus.Delivered && v.CreatedAt >= since).Select(v => new { v.Id, v.Number }).ToListAsync(cancellationToken);
        foreach (var visit in visits)
        {
            if (await store.FindInstanceAsync(InstanceId(VisitWorkflow, visit.Id), cancellationToken) is null)
                await StartAsync(VisitWorkflow, visit.Number, "VisitId", visit.Id, cancellationToken);
        }
        var appointments = await db.Appointments.AsNoTracking().Where(a => a.Status == AppointmentStatus.Booked && a.CreatedAt >= since).Select(a => a.Id).ToListAsync(cancellationToken);
        foreach (var id in appointments)
        {
            if (await store.FindInstanceAsync(InstanceId(AppointmentWorkflow, id), cancellationToken) is null)
                await StartAsync(AppointmentWorkflow, id, "AppointmentId", id, cancellationToken);
        }
    }
}
