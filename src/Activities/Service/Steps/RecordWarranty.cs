using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service.Steps;

/// <summary>
/// The warranty decision on the customer's concerns: recorded on each concern (with the grounds and the maker's
/// claim reference), and the pending estimate's diagnosis lines repriced — covered ones cost the customer nothing and
/// are paid under warranty. The repriced lines go to the customer to approve.
/// </summary>
[Activity("Followup", "Visit steps", "Record the warranty decision on the concerns and reprice their lines.", DisplayName = "Record warranty decision")]
public sealed class RecordWarranty(DealershipRecords records) : TaskStep(records)
{
    [Input(Description = "The decision: Covered or NotCovered (the warranty task's action).", UIHint = "dropdown", Options = [WarrantyStatus.Covered, WarrantyStatus.NotCovered])]
    public Input<string> Decision { get; set; } = new(null);

    [Input(Description = "The grounds of the decision (task field 'decision').", UIHint = "multiline")]
    public Input<string> Grounds { get; set; } = new(null);

    [Input(Description = "The maker's warranty claim reference, if filed (task field 'claim').")]
    public Input<string> ClaimRef { get; set; } = new(null);

    [Output(Description = "The lines for the customer to approve (JSON), repriced.")]
    public Output<object>? Lines { get; set; }

    protected override async Task RecordAsync(ActivityExecutionContext context, VisitFacts visit)
    {
        var values = ValuesOf(context, this);
        var decision = context.Get(Decision);
        if (decision is not (WarrantyStatus.Covered or WarrantyStatus.NotCovered))
            throw new ArgumentException($"A warranty decision is Covered or NotCovered, not '{decision}'.");
        var (grounds, claim) = (Text(context, Grounds, values, "decision"), Text(context, ClaimRef, values, "claim"));
        var visitId = visit.Visit.Id;
        var language = visit.Customer.Language;
        List<EstimateLine> lines = [];
        await Records.WriteAsync(context, "step:Warranty", "Visit", visitId, async (db, ct) =>
        {
            var concerns = await db.Concerns.Where(c => c.VisitId == visitId && c.CatalogCode == null).ToListAsync(ct);
            foreach (var concern in concerns)
                (concern.Warranty, concern.WarrantyNote, concern.ClaimRef) = (decision, grounds, claim);
            var estimate = await db.Estimates.Include(e => e.Lines)
                .Where(e => e.VisitId == visitId && e.Kind == EstimateKind.Estimate && e.Status == EstimateStatus.Pending)
                .OrderByDescending(e => e.CreatedAt).FirstOrDefaultAsync(ct);
            if (estimate is null)
                return;
            foreach (var line in estimate.Lines.Where(l => l.LineKey.StartsWith("diag-", StringComparison.Ordinal)))
                RecordNeeds.Cover(line, decision == WarrantyStatus.Covered, language);
            lines = [.. estimate.Lines.OrderBy(l => l.Id)];
        });
        Produced = RecordNeeds.ToApproval(lines);
        context.Set(Lines, Produced);
    }
}
