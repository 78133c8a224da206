using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service;

/// <summary>The stimulus of a customer's arrival for an appointment (the host sends it when staff check the appointment in).</summary>
public sealed record AppointmentArrivedStimulus(string AppointmentId)
{
    public const string Name = "Followup.AppointmentArrived";
}

/// <summary>Loads an appointment with its customer and vehicle, and when to remind.</summary>
[Activity("Followup", "Service", "Load the appointment with its customer and vehicle into a variable.", DisplayName = "Load appointment")]
public sealed class LoadAppointment(DealershipRecords records) : Activity
{
    [Input(Description = "The appointment's id.")]
    public Input<string> AppointmentId { get; set; } = new(null);

    [Input(Description = "How long before the slot the reminder goes out.", DefaultValue = "1.00:00:00")]
    public Input<TimeSpan> RemindBefore { get; set; } = new(null);

    [Output(Description = "CustomerName, Phone, Email, Language, Plate, Slot (local time), RemindAt, NeedsReminder.")]
    public Output<object>? Result { get; set; }

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = context.Get(AppointmentId) ?? throw new ArgumentException("Load appointment needs the appointment's id.");
        var found = await records.ReadAsync(context, async db =>
        {
            var appointment = await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, context.CancellationToken);
            return appointment is null ? default : (appointment,
                await db.Customers.AsNoTracking().FirstAsync(c => c.Id == appointment.CustomerId, context.CancellationToken),
                await db.Vehicles.AsNoTracking().FirstAsync(v => v.Id == appointment.VehicleId, context.CancellationToken));
        });
        if (found.appointment is not { } a)
            throw new InvalidOperationException($"There is no appointment {id}.");
        var (customer, vehicle) = (found.Item2, found.Item3);
        var now = DealershipRecords.Now(context);
        var remindAt = a.SlotAt - context.Get(RemindBefore);
        context.Set(Result, new Dictionary<string, object?>
        {
            ["Id"] = a.Id,
            ["CustomerName"] = customer.Name,
            ["Phone"] = customer.SmsConsent ? customer.Phone : null,
            ["Email"] = customer.EmailConsent ? customer.Email : null,
            ["Language"] = customer.Language,
            ["Plate"] = vehicle.Plate ?? vehicle.Model,
            ["Slot"] = records.LocalTime(a.SlotAt),
            ["RemindAt"] = new DateTimeOffset(remindAt, TimeSpan.Zero),
            ["NeedsReminder"] = remindAt > now.AddHours(2),
        });
        await context.CompleteAsync();
    }
}

/// <summary>
/// Waits for the customer to arrive for the appointment: Arrived when staff check them in, NoShow when the grace period
/// after the slot passes first (the appointment is then marked as a no-show).
/// </summary>
[Activity("Followup", "Service", "Wait for the customer's arrival; a no-show after the grace period.", DisplayName = "Await arrival")]
[FlowNode("Arrived", "NoShow")]
public sealed class AwaitArrival : WaitingActivity
{
    private readonly DealershipRecords _records;

    public AwaitArrival(DealershipRecords records)
    {
        _records = records;
        When(AppointmentArrivedStimulus.Name, OnArrivedOrLateAsync);
        When(GraceBookmarkName, OnArrivedOrLateAsync);
    }

    public const string GraceBookmarkName = "Followup.AwaitArrival.Grace";

    [Input(Description = "The appointment's id.")]
    public Input<string> AppointmentId { get; set; } = new(null);

    [Input(Description = "How long after the slot the customer counts as a no-show.", DefaultValue = "00:30:00")]
    public Input<TimeSpan> Grace { get; set; } = new(null);

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = context.Get(AppointmentId) ?? throw new ArgumentException("Await arrival needs the appointment's id.");
        var appointment = await _records.ReadAsync(context, db => db.Appointments.AsNoTracking().FirstAsync(a => a.Id == id, context.CancellationToken));
        if (appointment.Status == AppointmentStatus.Arrived)
        {
            await context.CompleteAsync("Arrived");
            return;
        }
        context.SetProperty("AppointmentId", id);
        Wait(context, AppointmentArrivedStimulus.Name, new AppointmentArrivedStimulus(id));
        WaitUntil(context, GraceBookmarkName, new DateTimeOffset(appointment.SlotAt + context.Get(Grace), TimeSpan.Zero));
    }

    private async ValueTask OnArrivedOrLateAsync(ActivityExecutionContext context)
    {
        var id = context.GetProperty<string>("AppointmentId")!;
        context.ClearBookmarks();
        var appointment = await _records.ReadAsync(context, db => db.Appointments.AsNoTracking().FirstAsync(a => a.Id == id, context.CancellationToken));
        if (context.ResumedBookmark?.Name == AppointmentArrivedStimulus.Name || appointment.Status == AppointmentStatus.Arrived)
        {
            await context.CompleteAsync("Arrived");
            return;
        }
        if (appointment.Status == AppointmentStatus.Booked)
            await _records.WriteAsync(context, "appointment:no-show", "Appointment", id, async (db, ct) => (await db.Appointments.FirstAsync(a => a.Id == id, ct)).Status = AppointmentStatus.NoShow);
        await context.CompleteAsync("NoShow");
    }
}
