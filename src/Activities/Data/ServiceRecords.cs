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

public static class AppointmentStatus
{
    public const string Booked = "Booked";
    public const string Arrived = "Arrived";
    public const string NoShow = "NoShow";
    public const string Cancelled = "Cancelled";
}

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

/// <summary>What the customer came for: a concern in their words or a menu service requested.</summary>
public sealed class Concern
{
    public long Id { get; set; }
    public required string VisitId { get; set; }
    public required string Text { get; set; }
    public string? CatalogCode { get; set; }
    public string Warranty { get; set; } = WarrantyStatus.NotCovered;
}

public static class WarrantyStatus
{
    public const string Covered = "Covered";
    public const string NotCovered = "NotCovered";
    public const string NeedsDecision = "NeedsDecision";
}

/// <summary>A menu-priced item of the service catalog (目录式报价).</summary>
public sealed class CatalogItem
{
    public required string Code { get; set; }
    public required string NameZh { get; set; }
    public required string NameEn { get; set; }
    public decimal LabourHours { get; set; }
    public decimal PartsPrice { get; set; }

    /// <summary>The fixed price the customer pays for the item, labour and parts together.</summary>
    public decimal MenuPrice { get; set; }

    public bool PartsInStock { get; set; } = true;

    /// <summary>Recommended every this many kilometres, when it is a maintenance item.</summary>
    public int? IntervalKm { get; set; }

    public string Name(string language) => language == "en" ? NameEn : NameZh;
}

/// <summary>An estimate sent for approval: the visit's estimate, or a request for additional work found in the workshop.</summary>
public sealed class Estimate
{
    public required string Id { get; set; }
    public required string VisitId { get; set; }
    public string Kind { get; set; } = EstimateKind.Estimate;
    public string Status { get; set; } = EstimateStatus.Pending;
    public DateTime CreatedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
    public List<EstimateLine> Lines { get; set; } = [];

    public decimal ApprovedTotal => Lines.Where(l => l.Approved == true).Sum(l => l.Price);
}

public static class EstimateKind
{
    public const string Estimate = "Estimate";
    public const string AdditionalWork = "AdditionalWork";
    public const string Overrun = "Overrun";
}

public static class EstimateStatus
{
    public const string Pending = "Pending";
    public const string Approved = "Approved";
    public const string PartiallyApproved = "PartiallyApproved";
    public const string Declined = "Declined";
    public const string TimedOut = "TimedOut";
}

public sealed class EstimateLine
{
    public long Id { get; set; }
    public required string EstimateId { get; set; }

    /// <summary>The line's key within its visit (a catalog code or a generated one), as the approval page shows it.</summary>
    public required string LineKey { get; set; }

    public required string Description { get; set; }
    public string? Reason { get; set; }
    public decimal Hours { get; set; }
    public decimal Labour { get; set; }
    public decimal Parts { get; set; }
    public bool PartsInStock { get; set; } = true;

    /// <summary>Null until the customer decides; declined lines are kept for a later follow-up.</summary>
    public bool? Approved { get; set; }

    public decimal Price => Labour + Parts;
}

/// <summary>The bill, reconciled line by line against what the customer approved before it can be settled.</summary>
public sealed class Invoice
{
    public required string Id { get; set; }
    public required string VisitId { get; set; }
    public required string Number { get; set; }
    public string Status { get; set; } = InvoiceStatus.Draft;
    public DateTime CreatedAt { get; set; }
    public DateTime? SettledAt { get; set; }
    public string? PaymentMethod { get; set; }
    public List<InvoiceLine> Lines { get; set; } = [];

    public decimal Total => Lines.Sum(l => l.Price);
}

public static class InvoiceStatus
{
    public const string Draft = "Draft";

    /// <summary>A charge the customer has not approved is on it: it cannot be settled until authorised or removed.</summary>
    public const string Blocked = "Blocked";

    public const string Reconciled = "Reconciled";
    public const string Settled = "Settled";
}

public sealed class InvoiceLine
{
    public long Id { get; set; }
    public required string InvoiceId { get; set; }
    public required string LineKey { get; set; }
    public required string Description { get; set; }
    public decimal Labour { get; set; }
    public decimal Parts { get; set; }
    public decimal Discount { get; set; }

    /// <summary>The approved price this line is checked against; null when nothing was approved for it.</summary>
    public decimal? ApprovedPrice { get; set; }

    public decimal Price => Labour + Parts - Discount;
    public bool IsOverrun => ApprovedPrice is not { } approved || Price > approved;
}

/// <summary>The satisfaction callback of a delivered visit: honest score and comments as the customer gave them.</summary>
public sealed class CallbackRecord
{
    public required string Id { get; set; }
    public required string VisitId { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime DeadlineAt { get; set; }

    /// <summary>call or sms.</summary>
    public string Mode { get; set; } = "call";

    public string Status { get; set; } = CallbackStatus.Pending;
    public int Attempts { get; set; }
    public int? Score { get; set; }
    public bool? Resolved { get; set; }
    public string? Comments { get; set; }
    public string? Agent { get; set; }
    public bool Escalated { get; set; }
    public DateTime? DoneAt { get; set; }
}

public static class CallbackStatus
{
    public const string Pending = "Pending";
    public const string Done = "Done";
    public const string Unreachable = "Unreachable";
}

/// <summary>A next-service reminder for a vehicle: when it is due, when it went out and whether it led to a booking.</summary>
public sealed class ReminderRecord
{
    public required string Id { get; set; }
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
}

public static class ReminderStatus
{
    public const string Scheduled = "Scheduled";
    public const string Sent = "Sent";
    public const string Booked = "Booked";
    public const string FollowUp = "FollowUp";
    public const string OptedOut = "OptedOut";
}

/// <summary>A repeat repair: the same concern on the same vehicle within the window, linked to the original visit.</summary>
public sealed class Comeback
{
    public required string Id { get; set; }
    public required string VisitId { get; set; }
    public required string OriginalVisitId { get; set; }
    public required string Concern { get; set; }
    public string? TechnicalLead { get; set; }
    public DateTime CreatedAt { get; set; }
}
