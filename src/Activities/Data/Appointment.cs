namespace Followup.Activities.Data;

/// <summary>A booked slot; the appointment workflow confirms, reminds and follows up a no-show.</summary>
public sealed class Appointment
{
    public required string Id { get; set; }
    public required string CustomerId { get; set; }
    public required string VehicleId { get; set; }
    public DateTime SlotAt { get; set; }

    /// <summary>What the customer asked for, in their words.</summary>
    public string? Request { get; set; }

    /// <summary>staff, self-service or dms.</summary>
    public string Channel { get; set; } = "staff";

    public string Status { get; set; } = AppointmentStatus.Booked;
    public string? Advisor { get; set; }
    public string? VisitId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ArrivedAt { get; set; }
}
