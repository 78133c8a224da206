using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>A next-service reminder: when it is due (by date or kilometres), whether it was sent and what it led to.</summary>
public sealed record ReminderView(string Id, string VehicleId, DateTime DueAt, string Basis, int? DueKm, string Status, DateTime CreatedAt, DateTime? SentAt, string? BookedAppointmentId)
{
    public static ReminderView From(ReminderRecord r) => new(r.Id, r.VehicleId, r.DueAt, r.Basis, r.DueKm, r.Status, r.CreatedAt, r.SentAt, r.BookedAppointmentId);
}
