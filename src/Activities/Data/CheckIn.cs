namespace Followup.Activities.Data;

/// <summary>The walk-around at reception, recorded in front of the customer (预检).</summary>
public sealed class CheckIn
{
    public required string VisitId { get; set; }
    public int Odometer { get; set; }

    /// <summary>Fuel level in eighths of a tank, as on the gauge.</summary>
    public string? FuelLevel { get; set; }

    public string? DamageNotes { get; set; }
    public string? Valuables { get; set; }
    public bool CoversFitted { get; set; }

    /// <summary>Attachment references of the photos taken.</summary>
    public string? Photos { get; set; }

    public bool CustomerAcknowledged { get; set; }
    public bool? WashAccepted { get; set; }

    /// <summary>Whether the customer waits in the lounge (true) or leaves and gets status messages (false).</summary>
    public bool? Waiting { get; set; }

    public string? RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }
}
