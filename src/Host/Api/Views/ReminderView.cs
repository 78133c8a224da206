using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>A reminder (kind Service or DeclinedWork): when it is due (by date or kilometres), whether it was sent, the follow-up call's result and what it led to.</summary>
public sealed record ReminderView(string Id, string Kind, string VehicleId, DateTime DueAt, string Basis, int? DueKm, string Status, DateTime CreatedAt, DateTime? SentAt, string? BookedAppointmentId,
    string? CallResult, string? CallNotes, DateTime? CallBackOn)
{
    public static ReminderView From(ReminderRecord r) => new(r.Id, r.Kind, r.VehicleId, r.DueAt, r.Basis, r.DueKm, r.Status, r.CreatedAt, r.SentAt, r.BookedAppointmentId, r.CallResult, r.CallNotes, r.CallBackOn);
}
