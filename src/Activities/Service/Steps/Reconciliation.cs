using Followup.Activities.Data;

namespace Followup.Activities.Service.Steps;

/// <summary>The arithmetic of reconciliation, apart from storage.</summary>
public static class Reconciliation
{
    public sealed record Result(IReadOnlyDictionary<string, decimal?> ApprovedPrices, IReadOnlyList<InvoiceLine> Overruns, IReadOnlySet<string> Removed, IReadOnlyDictionary<string, decimal> CappedAt, decimal Total);

    /// <summary>
    /// Each invoice line is matched by key with the latest decision on it: approved at a price (overrun if it costs more),
    /// declined (taken off, or capped at an earlier approved price), or never asked (overrun).
    /// </summary>
    public static Result Plan(IEnumerable<InvoiceLine> invoice, IReadOnlyList<EstimateLine> decided)
    {
        var approvedPrices = new Dictionary<string, decimal?>();
        var overruns = new List<InvoiceLine>();
        var removed = new HashSet<string>();
        var capped = new Dictionary<string, decimal>();
        var total = 0m;
        foreach (var line in invoice)
        {
            var price = line.Charged;
            var history = decided.Where(d => d.LineKey == line.LineKey).ToList();
            var approved = history.Where(d => d.Approved == true).Select(d => (decimal?)d.Price).Max();
            var declinedAtThisPrice = history.Any(d => d.Approved == false && d.Price == price);
            approvedPrices[line.LineKey] = approved;
            if (approved is { } a && price <= a)
            {
                total += price;
            }
            else if (declinedAtThisPrice || (history.Count > 0 && approved is null))
            {
                if (approved is { } earlier)
                {
                    capped[line.LineKey] = earlier;
                    total += earlier;
                }
                else
                {
                    removed.Add(line.LineKey);
                }
            }
            else
            {
                overruns.Add(line);
            }
        }
        return new Result(approvedPrices, overruns, removed, capped, total);
    }
}
