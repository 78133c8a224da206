using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>A visit (repair order): number, status, promised time, the people on it.</summary>
public sealed record VisitView(string Id, string Number, string CustomerId, string VehicleId, string Status, DateTime? PromisedAt, string? Advisor, string? Technician,
    string? AppointmentId, bool Priority, string? ComebackOf, DateTime CreatedAt, DateTime UpdatedAt, DateTime? GreetedAt, DateTime? ReadyAt, DateTime? DeliveredAt)
{
    public static VisitView From(Visit v) => new(v.Id, v.Number, v.CustomerId, v.VehicleId, v.Status, v.PromisedAt, v.Advisor, v.Technician,
        v.AppointmentId, v.Priority, v.ComebackOf, v.CreatedAt, v.UpdatedAt, v.GreetedAt, v.ReadyAt, v.DeliveredAt);
}
