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

/// <summary>The stimulus of staff marking a customer who did not come, once their slot has begun.</summary>
public sealed record AppointmentNoShowStimulus(string AppointmentId)
{
    public const string Name = "Followup.AppointmentNoShow";
}

/// <summary>
/// Waits for the customer to arrive for the appointment: Arrived when staff check them in, NoShow when the grace period
/// after the slot passes first, or when staff mark it so after the slot's time (the appointment is then marked as a no-show).
/// </summary>
[Activity("Followup", "Service", "Wait for the customer's arrival; a no-show after the grace period; Cancelled when the appointment was cancelled.", DisplayName = "Await arrival")]
[FlowNode("Arrived", "NoShow", "Cancelled")]
public sealed class AwaitArrival : WaitingActivity
{
    private readonly DealershipRecords _records;

    public AwaitArrival(DealershipRecords records)
    {
        _records = records;
        When(AppointmentArrivedStimulus.Name, OnArrivedOrLateAsync);
        When(GraceBookmarkName, OnArrivedOrLateAsync);
        When(AppointmentNoShowStimulus.Name, OnArrivedOrLateAsync);
    }

    /// <summary>Waits for the arrival, a no-show marked by staff, or the end of the grace period.</summary>
    private void WaitFor(ActivityExecutionContext context, string id, DateTime late)
    {
        Wait(context, AppointmentArrivedStimulus.Name, new AppointmentArrivedStimulus(id));
        Wait(context, AppointmentNoShowStimulus.Name, new AppointmentNoShowStimulus(id));
        WaitUntil(context, GraceBookmarkName, new DateTimeOffset(late, TimeSpan.Zero));
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
        if (appointment.Status is AppointmentStatus.Arrived or AppointmentStatus.Cancelled)
        {
            await context.CompleteAsync(appointment.Status);
            return;
        }
        context.SetProperty("AppointmentId", id);
        context.SetProperty("Grace", context.Get(Grace));
        WaitFor(context, id, appointment.SlotAt + context.Get(Grace));
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
        if (appointment.Status == AppointmentStatus.Cancelled)
        {
            await context.CompleteAsync("Cancelled");
            return;
        }
        var late = appointment.SlotAt + context.GetProperty<TimeSpan>("Grace");
        var marked = context.ResumedBookmark?.Name == AppointmentNoShowStimulus.Name;
        if (appointment.Status == AppointmentStatus.Booked && (marked ? appointment.SlotAt > DealershipRecords.Now(context) : late > DealershipRecords.Now(context)))
        {
            // Moved to a later slot (or marked before the slot has begun): wait for that one.
            WaitFor(context, id, late);
            return;
        }
        if (appointment.Status == AppointmentStatus.Booked)
            await _records.WriteAsync(context, "appointment:no-show", "Appointment", id, async (db, ct) => (await db.Appointments.FirstAsync(a => a.Id == id, ct)).Status = AppointmentStatus.NoShow);
        await context.CompleteAsync("NoShow");
    }
}
