namespace Followup.Activities.Data;

/// <summary>An estimate sent for approval: the visit's estimate, or a request for additional work found in the workshop.</summary>
public sealed class Estimate
{
    public required string Id { get; set; }
    public required string VisitId { get; set; }
    public string Kind { get; set; } = EstimateKind.Estimate;
    public string Status { get; set; } = EstimateStatus.Pending;
    public DateTime CreatedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
    public List<EstimateLine> Lines { get; set; } = [];

    public decimal ApprovedTotal => ApprovedTotalOf(Lines);

    /// <summary>What the customer approved of these lines.</summary>
    public static decimal ApprovedTotalOf(IEnumerable<EstimateLine> lines) => lines.Where(l => l.Approved == true).Sum(l => l.Price);

    /// <summary>The lines the customer approved on the visits' estimates (not additional work) among <paramref name="estimates"/>.</summary>
    public static IQueryable<EstimateLine> ApprovedLinesOf(DealershipDbContext db, IQueryable<Estimate> estimates) =>
        db.EstimateLines.Where(l => l.Approved == true && estimates.Where(e => e.Kind == EstimateKind.Estimate).Select(e => e.Id).Contains(l.EstimateId));
}
