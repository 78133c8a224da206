namespace Followup.Activities.Data;

public static class WarrantyStatus
{
    public const string Covered = "Covered";
    public const string NotCovered = "NotCovered";
    public const string NeedsDecision = "NeedsDecision";
}
