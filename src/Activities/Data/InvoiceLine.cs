using System.Linq.Expressions;

namespace Followup.Activities.Data;

public sealed class InvoiceLine
{
    public long Id { get; set; }
    public required string InvoiceId { get; set; }
    public required string LineKey { get; set; }
    public required string Description { get; set; }
    public decimal Labour { get; set; }
    public decimal Parts { get; set; }
    public decimal Discount { get; set; }

    /// <summary>The approved price this line is checked against; null when nothing was approved for it.</summary>
    public decimal? ApprovedPrice { get; set; }

    /// <summary>Who pays: Customer, Warranty or Internal (<see cref="Data.PayType"/>).</summary>
    public string PayType { get; set; } = Data.PayType.Customer;

    /// <summary>What the line costs the customer before a discount: nothing when the maker (warranty) or the store pays.</summary>
    public decimal Charged => Price + Discount;

    /// <summary>What the customer pays for a line: what it costs them less its discount. A query can carry it to the database.</summary>
    public static readonly Expression<Func<InvoiceLine, decimal>> PriceRule = l => (l.PayType == Data.PayType.Customer ? l.Labour + l.Parts : 0) - l.Discount;

    private static readonly Func<InvoiceLine, decimal> PriceOf = PriceRule.Compile();

    /// <summary>What the customer pays for the line (<see cref="PriceRule"/>).</summary>
    public decimal Price => PriceOf(this);
    public bool IsOverrun => ApprovedPrice is not { } approved || Price > approved;
}
