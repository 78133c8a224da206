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

    /// <summary>Months as days: the item is due again this many days after it was done (whichever of km and days comes first).</summary>
    public int? IntervalDays { get; set; }

    /// <summary>Brakes, tyres, steering, lights: declining it is marked on the visit and the invoice.</summary>
    public bool Safety { get; set; }

    /// <summary>False for work that is not a repair (a wash, a battery test, an inspection): doing it again is not a comeback.</summary>
    public bool Repair { get; set; } = true;

    public string Name(string language) => language == "en" ? NameEn : NameZh;
}
