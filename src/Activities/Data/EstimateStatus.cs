namespace Followup.Activities.Data;

public static class EstimateStatus
{
    public const string Pending = "Pending";
    public const string Approved = "Approved";
    public const string PartiallyApproved = "PartiallyApproved";
    public const string Declined = "Declined";
    public const string TimedOut = "TimedOut";
}
