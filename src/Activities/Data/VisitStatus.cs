namespace Followup.Activities.Data;

public static class VisitStatus
{
    public const string Reception = "Reception";
    public const string InWorkshop = "InWorkshop";
    public const string QualityCheck = "QualityCheck";
    public const string Ready = "Ready";
    public const string Delivered = "Delivered";

    /// <summary>The order a visit moves in; a step back (quality check fails) returns it to the workshop.</summary>
    public static readonly string[] Order = [Reception, InWorkshop, QualityCheck, Ready, Delivered];

    public static bool CanMove(string from, string to) =>
        Array.IndexOf(Order, to) == Array.IndexOf(Order, from) + 1 || (from == QualityCheck && to == InWorkshop);

    public static bool InWorkshopNow(string status) => status is InWorkshop or QualityCheck;
}
