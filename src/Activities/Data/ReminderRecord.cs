namespace Followup.Activities.Data;

/// <summary>
/// A reminder for a vehicle — the next service, or the work the customer declined at a visit — when it is due, when it
/// went out (or the call was asked for) and whether it led to a booking.
/// </summary>
public sealed class ReminderRecord
{
    public required string Id { get; set; }

    /// <summary>What it reminds of: <see cref="ReminderKind"/>.</summary>
    public string Kind { get; set; } = ReminderKind.Service;
    public required string VehicleId { get; set; }
    public required string CustomerId { get; set; }
    public string? VisitId { get; set; }
    public DateTime DueAt { get; set; }

    /// <summary>date or mileage: which of the two made it due first.</summary>
    public required string Basis { get; set; }

    public int? DueKm { get; set; }
    public string Status { get; set; } = ReminderStatus.Scheduled;
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
    public string? BookedAppointmentId { get; set; }

    /// <summary>The follow-up call's result (booked, later, declined, unreachable), its notes, and the date the customer asked to be called again.</summary>
    public string? CallResult { get; set; }

    public string? CallNotes { get; set; }

    public DateTime? CallBackOn { get; set; }
}
