namespace Followup.Activities.Data;

/// <summary>Who pays for a line: the customer, the maker under warranty (claimed with the OEM claim reference), or the store.</summary>
public static class PayType
{
    public const string Customer = "Customer";
    public const string Warranty = "Warranty";
    public const string Internal = "Internal";

    public static readonly string[] All = [Customer, Warranty, Internal];
}
