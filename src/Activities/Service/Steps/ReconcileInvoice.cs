using System.Globalization;
using Followup.Activities.Approvals;
using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service.Steps;

/// <summary>
/// Checks the invoice line by line against what the customer approved (estimate, additional work, earlier overruns).
/// A charge beyond that is an overrun: the invoice is blocked and the lines go to the customer for authorisation; what
/// the customer declined comes off the bill.
/// </summary>
[Activity("Followup", "Service", "Reconcile the invoice against the approved estimate; an unapproved overrun blocks settlement.", DisplayName = "Reconcile invoice")]
[FlowNode("Matched", "Overrun")]
public sealed class ReconcileInvoice(DealershipRecords records) : VisitStep(records)
{
    [Output(Description = "Overrun: the lines to authorise (JSON). Matched: the invoice total.")]
    public Output<object>? Result { get; set; }

    [Output(Description = "Matched: the amount the customer pays, written as the store writes money (e.g. ¥630.00).")]
    public Output<object>? AmountDue { get; set; }

    protected override async Task RecordAsync(ActivityExecutionContext context, VisitFacts visit)
    {
        var visitId = visit.Visit.Id;
        var (invoice, decided) = await Records.ReadAsync(context, async db => (
            await db.Invoices.AsNoTracking().Include(i => i.Lines).FirstOrDefaultAsync(i => i.VisitId == visitId, context.CancellationToken),
            await db.EstimateLines.AsNoTracking().Where(l => l.Approved != null && db.Estimates.Any(e => e.Id == l.EstimateId && e.VisitId == visitId)).OrderBy(l => l.Id).ToListAsync(context.CancellationToken)));
        if (invoice is null)
            throw new InvalidOperationException("There is no invoice to reconcile for this visit.");
        var plan = Reconciliation.Plan(invoice.Lines, decided);
        var now = DealershipRecords.Now(context);
        var estimateId = context.Workflow.NewId();
        await Records.WriteAsync(context, plan.Overruns.Count > 0 ? "invoice:overrun" : "invoice:reconciled", "Invoice", invoice.Id, async (db, ct) =>
        {
            var row = await db.Invoices.Include(i => i.Lines).FirstAsync(i => i.Id == invoice.Id, ct);
            foreach (var line in row.Lines)
            {
                line.ApprovedPrice = plan.ApprovedPrices.GetValueOrDefault(line.LineKey);
                if (plan.Removed.Contains(line.LineKey))
                    db.InvoiceLines.Remove(line);
                else if (plan.CappedAt.TryGetValue(line.LineKey, out var cap))
                    line.Discount = line.Charged - cap;
            }
            row.Status = plan.Overruns.Count > 0 ? InvoiceStatus.Blocked : InvoiceStatus.Reconciled;
            if (plan.Overruns.Count > 0)
                db.Estimates.Add(new Estimate
                {
                    Id = estimateId,
                    VisitId = visitId,
                    Kind = EstimateKind.Overrun,
                    CreatedAt = now,
                    Lines = plan.Overruns.Select(l => new EstimateLine { EstimateId = estimateId, LineKey = l.LineKey, Description = l.Description, Labour = l.Labour, Parts = l.Parts }).ToList(),
                });
        });
        if (plan.Overruns.Count > 0)
        {
            var en = visit.Customer.Language == "en";
            Produced = ApprovalContent.Serialize(plan.Overruns.Select(l => plan.ApprovedPrices.GetValueOrDefault(l.LineKey) is { } before
                ? new ApprovalLine(l.LineKey, l.Description, en ? string.Create(CultureInfo.InvariantCulture, $"approved at {before:0.00}, now {l.Price:0.00}") : string.Create(CultureInfo.InvariantCulture, $"已确认{before:0.00}，实际{l.Price:0.00}"), l.Labour, l.Parts, null, before)
                : new ApprovalLine(l.LineKey, l.Description, en ? "not on the approved estimate" : "不在已确认的项目中", l.Labour, l.Parts, null)).ToList());
            context.Set(Result, Produced);
            await context.CompleteAsync("Overrun");
        }
        else
        {
            Produced = plan.Total;
            context.Set(Result, Produced);
            context.Set(AmountDue, Records.Store.Money(plan.Total));
            await context.CompleteAsync("Matched");
        }
    }
}
