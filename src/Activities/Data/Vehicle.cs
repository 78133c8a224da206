namespace Followup.Activities.Data;

public sealed class Vehicle
{
    public required string Id { get; set; }
    public required string CustomerId { get; set; }
    public required string Vin { get; set; }
    public string? Plate { get; set; }
    public string? Model { get; set; }
    public int? Year { get; set; }

    /// <summary>The car's own service interval (the maker's schedule for it, e.g. long-life oil), in days and km; before the catalog's.</summary>
    public int? ServiceIntervalDays { get; set; }

    public int? ServiceIntervalKm { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<MileageReading> Mileage { get; set; } = [];
}
