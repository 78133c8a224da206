using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>An appointment: the slot, what the customer asked for, how it was booked and what became of it.</summary>
public sealed record AppointmentView(string Id, string CustomerId, string VehicleId, DateTime SlotAt, string? Request, string Channel, string Status, string? Advisor,
    string? VisitId, DateTime CreatedAt, DateTime? ArrivedAt)
{
    public static AppointmentView From(Appointment a) => new(a.Id, a.CustomerId, a.VehicleId, a.SlotAt, a.Request, a.Channel, a.Status, a.Advisor, a.VisitId, a.CreatedAt, a.ArrivedAt);
}
