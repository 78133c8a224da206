using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service.Steps;

/// <summary>Settlement (step 8): the bill, explained, is paid. An invoice with unapproved charges cannot be settled.</summary>
[Activity("Followup", "Visit steps", "Record that the explained bill was paid, and how.", DisplayName = "Record settlement")]
public sealed class RecordSettlement(DealershipRecords records) : TaskStep(records)
{
    [Input(Description = "How the customer paid: card, cash, wechat, alipay… (task field 'payment').")]
    public Input<string> Payment { get; set; } = new(null);

    protected override Task RecordAsync(ActivityExecutionContext context, VisitFacts visit)
    {
        var visitId = visit.Visit.Id;
        var payment = Text(context, Payment, ValuesOf(context, this), "payment");
        var now = DealershipRecords.Now(context);
        return Records.WriteAsync(context, "step:Settled", "Visit", visitId, async (db, ct) =>
        {
            var invoice = await db.Invoices.Include(i => i.Lines).FirstOrDefaultAsync(i => i.VisitId == visitId, ct) ?? throw new InvalidOperationException($"Visit {visit.Visit.Number} has no invoice to settle.");
            if (invoice.Status == InvoiceStatus.Blocked)
                throw new InvalidOperationException($"Invoice {invoice.Number} has charges the customer has not approved; it cannot be settled.");
            invoice.Status = InvoiceStatus.Settled;
            invoice.SettledAt ??= now;
            invoice.PaymentMethod = payment;
            // The bill's figures as settled, for the dashboard's year: what was charged against what was approved.
            invoice.KeepTotals(await Estimate.ApprovedLinesOf(db, db.Estimates.Where(e => e.VisitId == visitId)).ToListAsync(ct));
        });
    }
}
