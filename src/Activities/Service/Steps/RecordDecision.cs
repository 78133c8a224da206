using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service.Steps;

/// <summary>
/// The customer's decision on the pending estimate (or additional work, or an overrun): each line approved or declined
/// as the customer said. With no decision given (the request timed out) the estimate is marked timed out.
/// </summary>
[Activity("Followup", "Visit steps", "Record which lines of the pending estimate the customer approved.", DisplayName = "Record decision")]
public sealed class RecordDecision(DealershipRecords records) : VisitStep(records)
{
    [Input(Description = "The ids of the lines the customer approved (the approval's ApprovedLines); empty when the request timed out.")]
    public Input<object> ApprovedLines { get; set; } = new(null);

    protected override Task RecordAsync(ActivityExecutionContext context, VisitFacts visit)
    {
        var visitId = visit.Visit.Id;
        var decided = context.Get(ApprovedLines) is { } approved ? StepValues.List(approved) : null;
        var now = DealershipRecords.Now(context);
        return Records.WriteAsync(context, "step:Decision", "Visit", visitId, async (db, ct) =>
        {
            var estimate = await db.Estimates.Include(e => e.Lines).Where(e => e.VisitId == visitId && e.Status == EstimateStatus.Pending).OrderByDescending(e => e.CreatedAt).FirstOrDefaultAsync(ct);
            if (estimate is null)
                return;
            foreach (var line in estimate.Lines)
                line.Approved = decided?.Contains(line.LineKey) ?? false;
            var count = estimate.Lines.Count(l => l.Approved == true);
            estimate.Status = decided is null ? EstimateStatus.TimedOut
                : count == 0 ? EstimateStatus.Declined
                : count == estimate.Lines.Count ? EstimateStatus.Approved : EstimateStatus.PartiallyApproved;
            estimate.DecidedAt = now;
        });
    }
}
