namespace Followup.Activities.Data;

public static class ReminderStatus
{
    public const string Scheduled = "Scheduled";
    public const string Sent = "Sent";
    public const string Booked = "Booked";
    public const string FollowUp = "FollowUp";
    public const string OptedOut = "OptedOut";
}
