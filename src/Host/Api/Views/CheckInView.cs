using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>The walk-around at reception: odometer, fuel, damage, valuables, covers, photos, what the customer acknowledged.</summary>
public sealed record CheckInView(int Odometer, string? FuelLevel, string? DamageNotes, string? Valuables, bool CoversFitted, string? Photos, bool CustomerAcknowledged,
    bool? WashAccepted, bool? Waiting, string? RecordedBy, DateTime RecordedAt)
{
    public static CheckInView From(CheckIn c) => new(c.Odometer, c.FuelLevel, c.DamageNotes, c.Valuables, c.CoversFitted, c.Photos, c.CustomerAcknowledged,
        c.WashAccepted, c.Waiting, c.RecordedBy, c.RecordedAt);
}
