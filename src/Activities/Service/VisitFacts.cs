using Followup.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service;

/// <summary>A visit with who and what it is about.</summary>
public sealed record VisitFacts(Visit Visit, Customer Customer, Vehicle Vehicle)
{
    public static async Task<VisitFacts?> LoadAsync(DealershipDbContext db, string visitId, CancellationToken cancellationToken)
    {
        var visit = await db.Visits.AsNoTracking().FirstOrDefaultAsync(v => v.Id == visitId, cancellationToken);
        if (visit is null)
            return null;
        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.Id == visit.CustomerId, cancellationToken);
        var vehicle = await db.Vehicles.AsNoTracking().FirstAsync(v => v.Id == visit.VehicleId, cancellationToken);
        return new VisitFacts(visit, customer, vehicle);
    }

    public Dictionary<string, object?> ToModel(DealershipRecords records) => new()
    {
        ["Id"] = Visit.Id,
        ["Number"] = Visit.Number,
        ["CustomerId"] = Customer.Id,
        ["CustomerName"] = Customer.Name,
        ["Phone"] = Customer.SmsTo(),
        ["Email"] = Customer.EmailTo(),
        ["Language"] = Customer.Language,
        ["VehicleId"] = Vehicle.Id,
        ["Plate"] = Vehicle.Plate,
        ["Model"] = Vehicle.Model,
        ["Advisor"] = Visit.Advisor,
        ["Technician"] = Visit.Technician,
        ["Priority"] = Visit.Priority,
        ["PromisedAt"] = Visit.PromisedAt is { } promised ? records.LocalTime(promised) : null,
        ["StoreName"] = records.Store.NameIn(Customer.Language),
        ["StoreHours"] = records.Store.Hours,
        ["StoreAddress"] = records.Store.Address,
        ["StorePhone"] = records.Store.Phone,
    };
}
