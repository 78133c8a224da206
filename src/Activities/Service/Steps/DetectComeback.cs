using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service.Steps;

/// <summary>
/// Fixed right first time: a visit for the same concern on the same vehicle within the window after an earlier one is a
/// comeback. It is linked to the original visit, the repeated concern's diagnosis is not charged, and the comeback
/// workflow gives it to the technical leads. Work that is not a repair (a wash, a battery test) is not a comeback.
/// </summary>
[Activity("Followup", "Service", "Flag a comeback: the same concern on the same vehicle within the window after an earlier visit.", DisplayName = "Detect comeback")]
[FlowNode("Comeback", "FirstTime")]
public sealed class DetectComeback(DealershipRecords records) : VisitStep(records)
{
    [Input(Description = "Days after an earlier delivery within which the same concern counts as a comeback.", DefaultValue = 30)]
    public Input<int> WindowDays { get; set; } = new(null);

    [Output(Description = "The original visit's number, when this is a comeback.")]
    public Output<object>? Result { get; set; }

    [Output(Description = "The estimate's lines for the customer to approve, with the repeated concern's diagnosis at no charge (set only on a comeback).")]
    public Output<object>? Lines { get; set; }

    protected override async Task RecordAsync(ActivityExecutionContext context, VisitFacts facts)
    {
        var visitId = facts.Visit.Id;
        var window = TimeSpan.FromDays(Math.Max(1, context.Get(WindowDays)));
        var match = await Records.ReadAsync(context, async db =>
        {
            var visit = await db.Visits.AsNoTracking().FirstAsync(v => v.Id == visitId, context.CancellationToken);
            var since = visit.CreatedAt - window;
            var earlier = await db.Visits.AsNoTracking()
                .Where(v => v.VehicleId == visit.VehicleId && v.Id != visitId && v.DeliveredAt != null && v.DeliveredAt >= since && v.DeliveredAt <= visit.CreatedAt)
                .ToListAsync(context.CancellationToken);
            var ids = earlier.Select(v => v.Id).Append(visitId).ToList();
            var notRepairs = await db.Catalog.AsNoTracking().Where(i => !i.Repair).Select(i => i.Code).ToListAsync(context.CancellationToken);
            var concerns = await db.Concerns.AsNoTracking().Where(c => ids.Contains(c.VisitId) && (c.CatalogCode == null || !notRepairs.Contains(c.CatalogCode))).ToListAsync(context.CancellationToken);
            var mine = concerns.Where(c => c.VisitId == visitId).ToList();
            return earlier.OrderByDescending(v => v.DeliveredAt)
                .SelectMany(v => concerns.Where(c => c.VisitId == v.Id).SelectMany(old => mine.Where(now => Similar(now, old)).Select(now => (Original: v, Concern: now.Text))))
                .Cast<(Visit Original, string Concern)?>()
                .FirstOrDefault();
        });
        if (match is not { } found)
        {
            await context.CompleteAsync("FirstTime");
            return;
        }
        var now = DealershipRecords.Now(context);
        var language = facts.Customer.Language;
        string? lines = null;
        await Records.WriteAsync(context, "comeback", "Visit", visitId, async (db, ct) =>
        {
            if (!await db.Comebacks.AnyAsync(c => c.VisitId == visitId, ct))
                db.Comebacks.Add(new Comeback { Id = context.Workflow.NewId(), VisitId = visitId, OriginalVisitId = found.Original.Id, Concern = found.Concern, CreatedAt = now });
            var visit = await db.Visits.FirstAsync(v => v.Id == visitId, ct);
            visit.ComebackOf = found.Original.Id;
            lines = await WaiveDiagnosisAsync(db, visitId, found.Concern, language, ct);
        });
        if (lines != null)
            context.Set(Lines, lines);
        Produced = found.Original.Number;
        context.Set(Result, Produced);
        await context.CompleteAsync("Comeback");
    }

    /// <summary>
    /// The repeated concern's diagnosis is on the store (pay type Internal) on the estimate the customer has not yet
    /// decided; returns that estimate's lines as the customer approves them, or null when there is none.
    /// </summary>
    public static async Task<string?> WaiveDiagnosisAsync(DealershipDbContext db, string visitId, string concern, string language, CancellationToken ct)
    {
        var estimate = await db.Estimates.Include(e => e.Lines)
            .Where(e => e.VisitId == visitId && e.Kind == EstimateKind.Estimate && e.Status == EstimateStatus.Pending).OrderByDescending(e => e.CreatedAt).FirstOrDefaultAsync(ct);
        if (estimate is null)
            return null;
        foreach (var line in estimate.Lines.Where(l => l.LineKey.StartsWith("diag-", StringComparison.Ordinal) && l.Description.EndsWith(concern, StringComparison.Ordinal)))
        {
            line.PayType = PayType.Internal;
            line.Reason = language == "en" ? "Comeback: no diagnosis charge" : "返修：不收检查费";
        }
        return RecordNeeds.ToApproval(estimate.Lines.OrderBy(l => l.Id));
    }

    /// <summary>The same menu item, or concerns whose wording mostly overlaps (words, or character pairs for Chinese).</summary>
    public static bool Similar(Concern a, Concern b) =>
        a.CatalogCode is { } code ? code == b.CatalogCode : b.CatalogCode is null && Overlap(a.Text, b.Text) >= 0.5;

    public static double Overlap(string a, string b)
    {
        var x = Tokens(a);
        var y = Tokens(b);
        return x.Count == 0 || y.Count == 0 ? 0 : (double)x.Intersect(y).Count() / x.Union(y).Count();
    }

    private static HashSet<string> Tokens(string text)
    {
        var lower = text.ToLowerInvariant();
        var words = lower.Split((char[])[' ', ',', '.', ';', ':', '，', '。', '；', '：', '、'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length > 2 && !w.Any(c => c > 0x2E80)).Select(w => w.TrimEnd('s'));
        var han = new string(lower.Where(c => c > 0x2E80).ToArray());
        var pairs = Enumerable.Range(0, Math.Max(0, han.Length - 1)).Select(i => han.Substring(i, 2));
        return [.. words, .. pairs];
    }
}
