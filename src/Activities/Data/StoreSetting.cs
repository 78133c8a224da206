namespace Followup.Activities.Data;

/// <summary>
/// A group of the store's settings as a manager saved them in the browser (JSON), over what the configuration says:
/// <c>store</c> holds the name, signature, address, phone, time zone, weekly hours, slot capacity, labour rate and currency.
/// </summary>
public sealed class StoreSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
}
