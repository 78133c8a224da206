namespace Followup.Activities.Data;

/// <summary>A menu-priced item of the service catalog (目录式报价).</summary>
public sealed class CatalogItem
{
    public required string Code { get; set; }
    public required string NameZh { get; set; }
    public required string NameEn { get; set; }
    public decimal LabourHours { get; set; }
    public decimal PartsPrice { get; set; }

    /// <summary>The fixed price the customer pays for the item, labour and parts together.</summary>
    public decimal MenuPrice { get; set; }

    public bool PartsInStock { get; set; } = true;

    /// <summary>Recommended every this many kilometres, when it is a maintenance item.</summary>
    public int? IntervalKm { get; set; }

    public string Name(string language) => language == "en" ? NameEn : NameZh;
}
