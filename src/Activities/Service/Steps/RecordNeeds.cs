using Followup.Activities.Approvals;
using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service.Steps;

/// <summary>
/// Needs and estimate (steps 3–4): the customer's concerns in their words and the services chosen from the menu
/// catalog become the visit's concerns and a menu-priced estimate — catalog items at their menu price, a diagnosis line
/// per concern at the labour rate (paid by the maker under warranty; a concern that needs a decision is priced to the customer until the warranty decision). The lines go to the customer to approve.
/// </summary>
[Activity("Followup", "Visit steps", "Record the customer's needs and price the estimate from the menu catalog.", DisplayName = "Record needs")]
public sealed class RecordNeeds(DealershipRecords records) : TaskStep(records)
{
    [Input(Description = "The customer's concerns, one per line, in their words (task field 'concerns').", UIHint = "multiline")]
    public Input<string> Concerns { get; set; } = new(null);

    [Input(Description = "Menu catalog codes of the services chosen, comma-separated (task field 'services').")]
    public Input<string> Services { get; set; } = new(null);

    [Input(Description = "Warranty of the concerns: Covered, NotCovered or NeedsDecision (task field 'warranty'); menu services are the customer's.", UIHint = "dropdown", Options = ["NotCovered", "Covered", "NeedsDecision"])]
    public Input<string> Warranty { get; set; } = new(null);

    [Input(Description = "Labour rate per hour, for diagnosis lines; when empty, the store's (store settings; 300 unless set).")]
    public Input<decimal> LabourRate { get; set; } = new(null);

    [Output(Description = "The lines for the customer to approve (JSON).")]
    public Output<object>? Lines { get; set; }

    protected override async Task RecordAsync(ActivityExecutionContext context, VisitFacts visit)
    {
        var values = ValuesOf(context, this);
        var visitId = visit.Visit.Id;
        var language = visit.Customer.Language;
        var warranty = Text(context, Warranty, values, "warranty") ?? WarrantyStatus.NotCovered;
        var concerns = (Text(context, Concerns, values, "concerns") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var codes = Services.Expression is null ? values.List("services") : StepValues.List(context.Get(Services));
        var catalog = (await Records.ReadAsync(context, db => db.Catalog.AsNoTracking().Where(c => codes.Contains(c.Code)).ToListAsync(context.CancellationToken)))
            .OrderBy(i => codes.ToList().IndexOf(i.Code)).ToList();
        if (codes.FirstOrDefault(c => catalog.All(i => i.Code != c)) is { } unknown)
            throw new ArgumentException($"'{unknown}' is not in the service catalog.");
        // The step's own rate, else the store's (settings), else the default.
        var rate = LabourRate.Expression is null ? Records.Store.LabourRate ?? StoreOptions.DefaultLabourRate : context.Get(LabourRate);
        var lines = new List<EstimateLine>();
        var estimateId = context.Workflow.NewId();
        foreach (var item in catalog)
            lines.Add(new EstimateLine { EstimateId = estimateId, LineKey = item.Code, Description = item.Name(language), Hours = item.LabourHours, Labour = item.MenuPrice - item.PartsPrice, Parts = item.PartsPrice, PartsInStock = item.PartsInStock, Safety = item.Safety });
        for (var i = 0; i < concerns.Length; i++)
            lines.Add(DiagnosisLine(estimateId, i, concerns[i], language, warranty, rate));
        var now = DealershipRecords.Now(context);
        await Records.WriteAsync(context, "step:Needs", "Visit", visitId, async (db, ct) =>
        {
            db.Concerns.RemoveRange(db.Concerns.Where(c => c.VisitId == visitId));
            db.Concerns.AddRange(concerns.Select(c => new Concern { VisitId = visitId, Text = c, Warranty = warranty }));
            db.Concerns.AddRange(catalog.Select(c => new Concern { VisitId = visitId, Text = c.Name(language), CatalogCode = c.Code, Warranty = WarrantyStatus.NotCovered }));
            await db.Estimates.Where(e => e.VisitId == visitId && e.Kind == EstimateKind.Estimate && e.Status == EstimateStatus.Pending).ExecuteDeleteAsync(ct);
            db.Estimates.Add(new Estimate { Id = estimateId, VisitId = visitId, Kind = EstimateKind.Estimate, CreatedAt = now, Lines = lines });
        });
        Produced = ToApproval(lines);
        context.Set(Lines, Produced);
    }

    /// <summary>A diagnosis line for a concern: half an hour at the labour rate, paid by the maker when the concern is covered.</summary>
    public static EstimateLine DiagnosisLine(string estimateId, int index, string concern, string language, string warranty, decimal rate)
    {
        var line = new EstimateLine
        {
            EstimateId = estimateId,
            LineKey = $"diag-{index + 1}",
            Description = (language == "en" ? "Diagnosis: " : "检查：") + concern,
            Hours = 0.5m,
            Labour = Math.Round(0.5m * rate, 2),
        };
        Cover(line, warranty == WarrantyStatus.Covered, language);
        return line;
    }

    /// <summary>Puts a line under warranty (the maker pays, the customer sees it at no charge) or back to the customer; a line the store bears (a comeback's diagnosis) stays the store's.</summary>
    public static void Cover(EstimateLine line, bool covered, string language)
    {
        if (line.PayType == PayType.Internal)
            return;
        line.PayType = covered ? PayType.Warranty : PayType.Customer;
        line.Reason = covered ? (language == "en" ? "Under warranty" : "保修范围内") : null;
    }

    /// <summary>The lines as the customer approves them: what they pay for each.</summary>
    public static string ToApproval(IEnumerable<EstimateLine> lines) => ApprovalContent.Serialize(
        lines.Select(l => l.PayType == PayType.Customer
            ? new ApprovalLine(l.LineKey, l.Description, l.Reason, l.Labour, l.Parts, l.Hours)
            : new ApprovalLine(l.LineKey, l.Description, l.Reason, 0, 0, l.Hours)).ToList());
}
