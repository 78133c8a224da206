using System.Linq.Expressions;

namespace Followup.Activities.Data;

public sealed class EstimateLine
{
    /// <summary>Lines' descriptions as one phrase in a language ("en" or Chinese), each once; safety items marked when asked. Empty when none.</summary>
    public static string Phrase(IEnumerable<EstimateLine> lines, string language, bool markSafety = false)
    {
        var en = language == "en";
        return string.Join(en ? ", " : "、", lines.Select(l => markSafety && l.Safety ? l.Description + (en ? " (safety)" : "（安全）") : l.Description).Distinct());
    }

    public long Id { get; set; }
    public required string EstimateId { get; set; }

    /// <summary>The line's key within its visit (a catalog code or a generated one), as the approval page shows it.</summary>
    public required string LineKey { get; set; }

    public required string Description { get; set; }
    public string? Reason { get; set; }
    public decimal Hours { get; set; }
    public decimal Labour { get; set; }
    public decimal Parts { get; set; }
    public bool PartsInStock { get; set; } = true;

    /// <summary>Null until the customer decides; declined lines are kept for a later follow-up.</summary>
    public bool? Approved { get; set; }

    /// <summary>Who pays: Customer, Warranty or Internal (<see cref="Data.PayType"/>).</summary>
    public string PayType { get; set; } = Data.PayType.Customer;

    /// <summary>Safety-related work (brakes, tyres, steering, lights): declined or unanswered, it is marked on the visit and the invoice.</summary>
    public bool Safety { get; set; }

    /// <summary>What the customer pays for a line: nothing when the maker (warranty) or the store pays. A query can carry it to the database.</summary>
    public static readonly Expression<Func<EstimateLine, decimal>> PriceRule = l => l.PayType == Data.PayType.Customer ? l.Labour + l.Parts : 0;

    private static readonly Func<EstimateLine, decimal> PriceOf = PriceRule.Compile();

    /// <summary>What the customer pays for the line (<see cref="PriceRule"/>).</summary>
    public decimal Price => PriceOf(this);
}
