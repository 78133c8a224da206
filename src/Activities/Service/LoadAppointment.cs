using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service;

/// <summary>Loads an appointment with its customer and vehicle, and when to remind.</summary>
[Activity("Followup", "Service", "Load the appointment with its customer and vehicle into a variable.", DisplayName = "Load appointment")]
public sealed class LoadAppointment(DealershipRecords records) : Activity
{
    [Input(Description = "The appointment's id.")]
    public Input<string> AppointmentId { get; set; } = new(null);

    [Input(Description = "How long before the slot the reminder goes out.", DefaultValue = "1.00:00:00")]
    public Input<TimeSpan> RemindBefore { get; set; } = new(null);

    [Output(Description = "CustomerName, Phone, Email, Language, Plate, Slot (store time), Service (what was booked), Where (the store's name and address), RemindAt, NeedsReminder.")]
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
            ["Phone"] = customer.SmsTo(),
            ["Email"] = customer.EmailTo(),
            ["Language"] = customer.Language,
            ["Plate"] = vehicle.Plate ?? vehicle.Model,
            ["Slot"] = records.LocalTime(a.SlotAt),
            ["Service"] = string.IsNullOrWhiteSpace(a.Request) ? (customer.Language == "en" ? "service" : "保养") : a.Request.Trim(),
            ["Where"] = records.Store.Address.Length == 0 ? records.Store.NameIn(customer.Language)
                : customer.Language == "en" ? $"{records.Store.NameIn("en")} ({records.Store.Address})" : $"{records.Store.Name}（{records.Store.Address}）",
            ["RemindAt"] = new DateTimeOffset(remindAt, TimeSpan.Zero),
            ["NeedsReminder"] = remindAt > now.AddHours(2),
        });
        await context.CompleteAsync();
    }
}
