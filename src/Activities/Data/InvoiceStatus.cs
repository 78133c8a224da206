namespace Followup.Activities.Data;

public static class InvoiceStatus
{
    public const string Draft = "Draft";

    /// <summary>A charge the customer has not approved is on it: it cannot be settled until authorised or removed.</summary>
    public const string Blocked = "Blocked";

    public const string Reconciled = "Reconciled";
    public const string Settled = "Settled";
}
