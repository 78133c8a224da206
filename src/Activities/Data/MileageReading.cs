namespace Followup.Activities.Data;

public sealed class MileageReading
{
    public long Id { get; set; }
    public required string VehicleId { get; set; }
    public int Kilometres { get; set; }
    public DateTime ReadAt { get; set; }
    public required string Source { get; set; }
}
