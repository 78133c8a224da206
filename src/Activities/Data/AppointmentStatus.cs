namespace Followup.Activities.Data;

public static class AppointmentStatus
{
    public const string Booked = "Booked";
    public const string Arrived = "Arrived";
    public const string NoShow = "NoShow";
    public const string Cancelled = "Cancelled";
}
