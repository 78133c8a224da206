using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service.Steps;

/// <summary>
/// Pre-inspection (step 2): the check-in sheet recorded in front of the customer — odometer, fuel, damage, valuables,
/// covers, photos, the customer's acknowledgement, the wash offer and whether they wait. The odometer also goes into
/// the car's mileage history.
/// </summary>
[Activity("Followup", "Visit steps", "Record the check-in sheet (odometer, fuel, damage, valuables, covers, wash, waiting).", DisplayName = "Record check-in")]
public sealed class RecordCheckIn(DealershipRecords records) : TaskStep(records)
{
    [Input(Description = "Odometer reading in km (task field 'odometer').")]
    public Input<decimal?> Odometer { get; set; } = new(null);

    [Input(Description = "Fuel level, e.g. 1/2 (task field 'fuel').")]
    public Input<string> Fuel { get; set; } = new(null);

    [Input(Description = "Scratches, dents and missing items found on the walk-around (task field 'damage').", UIHint = "multiline")]
    public Input<string> Damage { get; set; } = new(null);

    [Input(Description = "Valuables left in the car (task field 'valuables').")]
    public Input<string> Valuables { get; set; } = new(null);

    [Input(Description = "Seat, wheel and floor covers fitted (task field 'covers').")]
    public Input<bool?> CoversFitted { get; set; } = new(null);

    [Input(Description = "Photo attachments (task field 'photo').")]
    public Input<string> Photos { get; set; } = new(null);

    [Input(Description = "The customer acknowledged the sheet (task field 'acknowledged').")]
    public Input<bool?> Acknowledged { get; set; } = new(null);

    [Input(Description = "The customer accepted the free wash (task field 'wash').")]
    public Input<bool?> WashAccepted { get; set; } = new(null);

    [Input(Description = "wait: the customer waits in the lounge; leave: they leave and get status texts (task field 'waiting').")]
    public Input<string> Waiting { get; set; } = new(null);

    protected override async Task RecordAsync(ActivityExecutionContext context, VisitFacts visit)
    {
        var values = ValuesOf(context, this);
        var visitId = visit.Visit.Id;
        var now = DealershipRecords.Now(context);
        var odometer = (int)(Number(context, Odometer, values, "odometer") ?? 0);
        await Records.WriteAsync(context, "step:CheckIn", "Visit", visitId, async (db, ct) =>
        {
            var row = await db.CheckIns.FirstOrDefaultAsync(c => c.VisitId == visitId, ct);
            if (row is null)
                db.CheckIns.Add(row = new CheckIn { VisitId = visitId });
            row.Odometer = odometer;
            row.FuelLevel = Text(context, Fuel, values, "fuel");
            row.DamageNotes = Text(context, Damage, values, "damage");
            row.Valuables = Text(context, Valuables, values, "valuables");
            row.CoversFitted = Flag(context, CoversFitted, values, "covers") ?? false;
            row.Photos = Text(context, Photos, values, "photo");
            row.CustomerAcknowledged = Flag(context, Acknowledged, values, "acknowledged") ?? false;
            row.WashAccepted = Flag(context, WashAccepted, values, "wash");
            row.Waiting = Text(context, Waiting, values, "waiting") is { } w ? w == "wait" : null;
            row.RecordedAt = now;
            var vehicleId = visit.Vehicle.Id;
            var last = await db.MileageReadings.Where(m => m.VehicleId == vehicleId).OrderByDescending(m => m.ReadAt).Select(m => (int?)m.Kilometres).FirstOrDefaultAsync(ct);
            if (odometer > 0 && odometer >= (last ?? 0) && !await db.MileageReadings.AnyAsync(m => m.VehicleId == vehicleId && m.Source == "check-in:" + visitId, ct))
                db.MileageReadings.Add(new MileageReading { VehicleId = vehicleId, Kilometres = odometer, ReadAt = now, Source = "check-in:" + visitId });
        });
    }
}
