using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service.Steps;

/// <summary>
/// The customer's decision on the latest estimate of the visit (or additional work, or an overrun) that waits for one:
/// each line approved or declined as the customer said. With no decision given (nobody reached the customer) the
/// estimate is marked timed out and its lines stay undecided — never declined — unless the step says unanswered lines
/// are not authorised (an overrun nobody agreed to comes off the bill).
/// </summary>
[Activity("Followup", "Visit steps", "Record which lines of the pending estimate the customer approved.", DisplayName = "Record decision")]
public sealed class RecordDecision(DealershipRecords records) : VisitStep(records)
{
    public const string Undecided = "Undecided";
    public const string NotAuthorised = "NotAuthorised";

    [Input(Description = "The ids of the lines the customer approved (the approval's ApprovedLines); empty when nobody reached the customer.")]
    public Input<object> ApprovedLines { get; set; } = new(null);

    [Input(Description = "Lines nobody answered for: Undecided (kept to ask again) or NotAuthorised (not done, not charged).", UIHint = "dropdown", Options = [Undecided, NotAuthorised], DefaultValue = Undecided)]
    public Input<string> Unanswered { get; set; } = new(null);

    protected override Task RecordAsync(ActivityExecutionContext context, VisitFacts visit)
    {
        var visitId = visit.Visit.Id;
        var decided = context.Get(ApprovedLines) is { } approved ? StepValues.List(approved) : null;
        var unanswered = context.Get(Unanswered) == NotAuthorised ? false : (bool?)null;
        var now = DealershipRecords.Now(context);
        return Records.WriteAsync(context, "step:Decision", "Visit", visitId, async (db, ct) =>
        {
            var estimate = await db.Estimates.Include(e => e.Lines)
                .Where(e => e.VisitId == visitId && (e.Status == EstimateStatus.Pending || e.Status == EstimateStatus.TimedOut))
                .OrderByDescending(e => e.CreatedAt).FirstOrDefaultAsync(ct);
            if (estimate is null)
                return;
            foreach (var line in estimate.Lines)
                line.Approved = decided is null ? unanswered : decided.Contains(line.LineKey);
            var count = estimate.Lines.Count(l => l.Approved == true);
            estimate.Status = decided is null ? EstimateStatus.TimedOut
                : count == estimate.Lines.Count ? EstimateStatus.Approved
                : count == 0 ? EstimateStatus.Declined : EstimateStatus.PartiallyApproved;
            estimate.DecidedAt = now;
        });
    }
}
