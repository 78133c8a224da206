namespace Followup.Activities.Data;

/// <summary>A visit (repair order): the car in the workshop from reception to delivery.</summary>
public sealed class Visit
{
    public required string Id { get; set; }

    /// <summary>The repair-order number staff and customers see, e.g. RO-2026-000123; also the workflows' correlation id.</summary>
    public required string Number { get; set; }

    public required string CustomerId { get; set; }
    public required string VehicleId { get; set; }
    public string Status { get; set; } = VisitStatus.Reception;
    public DateTime? PromisedAt { get; set; }
    public string? Advisor { get; set; }
    public string? Technician { get; set; }
    public string? AppointmentId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>When an advisor greeted the customer (the reception task was done).</summary>
    public DateTime? GreetedAt { get; set; }

    /// <summary>When the car was ready for pick-up; compared with the promised time.</summary>
    public DateTime? ReadyAt { get; set; }

    public DateTime? DeliveredAt { get; set; }

    /// <summary>Appointment customers come first: their own advisor and technician.</summary>
    public bool Priority { get; set; }

    /// <summary>The original visit when this one is a comeback.</summary>
    public string? ComebackOf { get; set; }
}
