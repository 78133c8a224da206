namespace Followup.Activities.Data;

/// <summary>What a reminder reminds of: one live reminder of each kind per car.</summary>
public static class ReminderKind
{
    /// <summary>The next service, due by date or mileage.</summary>
    public const string Service = "Service";

    /// <summary>The work the customer declined or never answered at a visit, some days after it.</summary>
    public const string DeclinedWork = "DeclinedWork";
}

public static class ReminderStatus
{
    public const string Scheduled = "Scheduled";
    public const string Sent = "Sent";
    public const string Booked = "Booked";
    public const string FollowUp = "FollowUp";
    public const string OptedOut = "OptedOut";

    /// <summary>The customer told the caller they do not want the service.</summary>
    public const string Declined = "Declined";

    /// <summary>The car came in (a walk-in or another booking) after the reminder went out.</summary>
    public const string Visited = "Visited";

    /// <summary>A newer visit or reminder for the car replaced it before it went out.</summary>
    public const string Superseded = "Superseded";

    /// <summary>The follow-up call reached nobody.</summary>
    public const string Unreachable = "Unreachable";

    /// <summary>Overdue, followed up twice, and nothing booked (or, for declined work, nothing booked in its window).</summary>
    public const string Lapsed = "Lapsed";

    /// <summary>A reminder still working: one per car at a time.</summary>
    public static readonly string[] Open = [Scheduled, Sent, FollowUp];

    /// <summary>How a reminder closes when its car comes in: visited once it was sent, else superseded.</summary>
    public static string Closed(ReminderRecord reminder) => reminder.SentAt is null ? Superseded : Visited;
}
