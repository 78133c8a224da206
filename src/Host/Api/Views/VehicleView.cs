using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>A vehicle with its odometer readings, oldest first.</summary>
public sealed record VehicleView(string Id, string CustomerId, string Vin, string? Plate, string? Model, int? Year, int? ServiceIntervalDays, int? ServiceIntervalKm, DateTime CreatedAt, IReadOnlyList<MileageView> Mileage)
{
    public static VehicleView From(Vehicle v) => new(v.Id, v.CustomerId, v.Vin, v.Plate, v.Model, v.Year, v.ServiceIntervalDays, v.ServiceIntervalKm, v.CreatedAt,
        v.Mileage.OrderBy(m => m.ReadAt).Select(MileageView.From).ToList());
}
