using Followup.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace Followup.Host.Inbox;

/// <summary>
/// Who and what a visit is about, for staff pages (<see cref="Pages.Visits.VisitSummaryView"/> shows it): the customer
/// and the car, status and promised time, concerns, the estimates with the customer's decisions and the bill; with
/// <c>full</c> also the check-in sheet, the callback and the comeback link.
/// </summary>
public static class VisitSummary
{
    /// <summary>What a visit's pages show of it; <see cref="Full"/> adds the check-in sheet, the callback and the comeback link.</summary>
    public sealed record Facts(Visit Visit, Customer Customer, Vehicle Vehicle, string Status, IReadOnlyList<string> Concerns, IReadOnlyList<EstimateLine> DeclinedBefore,
        IReadOnlyList<Estimate> Estimates, Invoice? Invoice, bool Full, CheckIn? CheckIn, CallbackRecord? Callback, string? ComebackOf)
    {
        /// <summary>The safety lines of decided estimates the customer did not approve.</summary>
        public IReadOnlyList<string> DeclinedSafety =>
            [.. Estimates.Where(e => e.Status != EstimateStatus.Pending).SelectMany(e => e.Lines).Where(l => l.Safety && l.Approved != true).Select(l => l.Description)];
    }

    /// <summary>The visit with this repair-order number as its pages show it; null when there is none.</summary>
    public static async Task<Facts?> LoadAsync(HttpContext context, string? number, string lang, bool full, CancellationToken ct)
    {
        if (number is null)
            return null;
        await using var db = await context.RequestServices.GetRequiredService<IDbContextFactory<DealershipDbContext>>().CreateDbContextAsync(ct);
        if (await db.Visits.AsNoTracking().FirstOrDefaultAsync(v => v.Number == number, ct) is not { } visit)
            return null;
        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.Id == visit.CustomerId, ct);
        var vehicle = await db.Vehicles.AsNoTracking().FirstAsync(v => v.Id == visit.VehicleId, ct);
        var concerns = await db.Concerns.AsNoTracking().Where(c => c.VisitId == visit.Id).OrderBy(c => c.Id).Select(c => c.Text).ToListAsync(ct);
        // The lines and the bill on every page of the visit: the technician works the approved lines and leaves the
        // declined ones; the advisor explains the bill line by line.
        var estimates = (await db.Estimates.AsNoTracking().Include(e => e.Lines).Where(e => e.VisitId == visit.Id).ToListAsync(ct)).OrderBy(e => e.CreatedAt).ToList();
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).FirstOrDefaultAsync(i => i.VisitId == visit.Id, ct);
        CheckIn? checkIn = null;
        CallbackRecord? callback = null;
        string? original = null;
        if (full)
        {
            checkIn = await db.CheckIns.AsNoTracking().FirstOrDefaultAsync(c => c.VisitId == visit.Id, ct);
            callback = await db.Callbacks.AsNoTracking().FirstOrDefaultAsync(c => c.VisitId == visit.Id, ct);
            var comeback = await db.Comebacks.AsNoTracking().FirstOrDefaultAsync(c => c.VisitId == visit.Id, ct);
            original = comeback is null ? null : await db.Visits.AsNoTracking().Where(v => v.Id == comeback.OriginalVisitId).Select(v => v.Number).FirstOrDefaultAsync(ct);
        }
        return new Facts(visit, customer, vehicle, await StatusAsync(db, visit, lang, ct), concerns, await DeclinedBeforeAsync(db, visit, ct), estimates, invoice, full, checkIn, callback, original);
    }

    /// <summary>
    /// What the customer declined or never answered at the car's last visit before this one, safety items first: the
    /// advisor raises it again at check-in and in the needs step.
    /// </summary>
    public static async Task<List<EstimateLine>> DeclinedBeforeAsync(DealershipDbContext db, Visit visit, CancellationToken ct)
    {
        var last = await db.Visits.AsNoTracking().Where(v => v.VehicleId == visit.VehicleId && v.Id != visit.Id && v.DeliveredAt != null && v.CreatedAt < visit.CreatedAt)
            .OrderByDescending(v => v.DeliveredAt).Select(v => v.Id).FirstOrDefaultAsync(ct);
        if (last is null)
            return [];
        return [.. (await db.NotApproved(last).ToListAsync(ct)).DistinctBy(l => l.Description)];
    }

    /// <summary>
    /// The visit's status as staff say it: at reception it may already wait for the customer's decision on the
    /// estimate, in the workshop for their decision on additional work.
    /// </summary>
    private static async Task<string> StatusAsync(DealershipDbContext db, Visit visit, string lang, CancellationToken ct)
    {
        var en = lang == "en";
        var waiting = visit.Status is VisitStatus.Reception or VisitStatus.InWorkshop or VisitStatus.Ready
            ? await db.Estimates.AsNoTracking().Where(e => e.VisitId == visit.Id && e.Status == EstimateStatus.Pending).Select(e => e.Kind).FirstOrDefaultAsync(ct)
            : null;
        return waiting switch
        {
            EstimateKind.Estimate => en ? "Waiting for the customer's decision on the estimate" : "等待客户确认估价",
            EstimateKind.AdditionalWork => en ? "Waiting for the customer's decision on additional work" : "等待客户确认追加项目",
            EstimateKind.Overrun => en ? "Waiting for the customer's decision on the extra charges" : "等待客户确认超出估价的费用",
            _ => Pages.Words.Of(lang, visit.Status),
        };
    }
}
