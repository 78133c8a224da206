using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service.Steps;

/// <summary>The invoice: every approved line at its approved price, plus what the workshop reports beyond them (checked before settlement).</summary>
[Activity("Followup", "Visit steps", "Draw up the invoice from the approved lines and what the workshop reports beyond them.", DisplayName = "Record invoice")]
public sealed class RecordInvoice(DealershipRecords records) : TaskStep(records)
{
    [Input(Description = "A charge beyond the approved lines, if the workshop reports one (task field 'extraDescription').")]
    public Input<string> ExtraDescription { get; set; } = new(null);

    [Input(Description = "Its labour price (task field 'extraLabour').")]
    public Input<decimal?> ExtraLabour { get; set; } = new(null);

    [Input(Description = "Its parts price (task field 'extraParts').")]
    public Input<decimal?> ExtraParts { get; set; } = new(null);

    [Output(Description = "The invoice's total.")]
    public Output<object>? Total { get; set; }

    protected override async Task RecordAsync(ActivityExecutionContext context, VisitFacts visit)
    {
        var values = ValuesOf(context, this);
        var visitId = visit.Visit.Id;
        var approved = await Records.ReadAsync(context, db => db.EstimateLines.AsNoTracking()
            .Where(l => l.Approved == true && db.Estimates.Any(e => e.Id == l.EstimateId && e.VisitId == visitId)).OrderBy(l => l.Id).ToListAsync(context.CancellationToken));
        var declinedSafety = await Records.ReadAsync(context, db => db.NotApproved(visitId).Where(l => l.Safety).Select(l => l.Description).ToListAsync(context.CancellationToken));
        var invoiceId = context.Workflow.NewId();
        var lines = approved.Select(l => new InvoiceLine { InvoiceId = invoiceId, LineKey = l.LineKey, Description = l.Description, Labour = l.Labour, Parts = l.Parts, PayType = l.PayType }).ToList();
        var (extraLabour, extraParts) = (Number(context, ExtraLabour, values, "extraLabour") ?? 0, Number(context, ExtraParts, values, "extraParts") ?? 0);
        if (Text(context, ExtraDescription, values, "extraDescription") is { } extra && extraLabour + extraParts > 0)
            lines.Add(new InvoiceLine { InvoiceId = invoiceId, LineKey = "extra-" + invoiceId[^6..], Description = extra, Labour = extraLabour, Parts = extraParts });
        var now = DealershipRecords.Now(context);
        await Records.WriteAsync(context, "step:Invoice", "Visit", visitId, async (db, ct) =>
        {
            if (await db.Invoices.AnyAsync(i => i.VisitId == visitId, ct))
                throw new InvalidOperationException($"Visit {visit.Visit.Number} has an invoice already.");
            db.Invoices.Add(new Invoice { Id = invoiceId, VisitId = visitId, Number = visit.Visit.Number.Replace("RO-", "INV-", StringComparison.Ordinal), CreatedAt = now, Lines = lines,
                DeclinedSafety = DeclinedSafetyNote(declinedSafety, visit.Customer.Language) });
        });
        Produced = lines.Sum(l => l.Price);
        context.Set(Total, Produced);
    }

    /// <summary>What the invoice says of safety-related work the customer declined or never answered; null when there is none.</summary>
    public static string? DeclinedSafetyNote(IReadOnlyCollection<string> lines, string language) =>
        lines.Count == 0 ? null
        : language == "en" ? $"Customer declined safety-related work: {string.Join(", ", lines.Distinct())}"
        : $"客户未同意以下涉及行车安全的项目：{string.Join("、", lines.Distinct())}";
}
