namespace Followup.Activities.Data;

public static class EstimateKind
{
    public const string Estimate = "Estimate";
    public const string AdditionalWork = "AdditionalWork";
    public const string Overrun = "Overrun";
}
