using System.Globalization;
using Followup.Activities.Approvals;
using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service;

/// <summary>Loads a visit with its customer and vehicle, for the messages and tasks of the steps that follow.</summary>
[Activity("Followup", "Service", "Load the visit (repair order) with its customer and vehicle into a variable.", DisplayName = "Load visit")]
public sealed class LoadVisit : Activity
{
    [Input(Description = "The visit's id.")]
    public Input<string> VisitId { get; set; } = new(null);

    [Output(Description = "Number, CustomerName, Phone, Email, Language, Plate, Model, Advisor, Technician, Priority, PromisedAt.")]
    public Output<object>? Result { get; set; }

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = context.Get(VisitId) ?? throw new ArgumentException("Load visit needs the visit's id.");
        var facts = await ServiceData.ReadAsync(context, db => VisitFacts.LoadAsync(db, id, context.CancellationToken))
            ?? throw new InvalidOperationException($"There is no visit {id}.");
        context.Set(Result, facts.ToModel(context));
        await context.CompleteAsync();
    }
}

/// <summary>A visit with who and what it is about.</summary>
public sealed record VisitFacts(Visit Visit, Customer Customer, Vehicle Vehicle)
{
    public static async Task<VisitFacts?> LoadAsync(DealershipDbContext db, string visitId, CancellationToken cancellationToken)
    {
        var visit = await db.Visits.AsNoTracking().FirstOrDefaultAsync(v => v.Id == visitId, cancellationToken);
        if (visit is null)
            return null;
        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.Id == visit.CustomerId, cancellationToken);
        var vehicle = await db.Vehicles.AsNoTracking().FirstAsync(v => v.Id == visit.VehicleId, cancellationToken);
        return new VisitFacts(visit, customer, vehicle);
    }

    public Dictionary<string, object?> ToModel(ActivityExecutionContext context) => new()
    {
        ["Id"] = Visit.Id,
        ["Number"] = Visit.Number,
        ["CustomerId"] = Customer.Id,
        ["CustomerName"] = Customer.Name,
        ["Phone"] = Customer.SmsConsent ? Customer.Phone : null,
        ["Email"] = Customer.EmailConsent ? Customer.Email : null,
        ["Language"] = Customer.Language,
        ["VehicleId"] = Vehicle.Id,
        ["Plate"] = Vehicle.Plate,
        ["Model"] = Vehicle.Model,
        ["Advisor"] = Visit.Advisor,
        ["Technician"] = Visit.Technician,
        ["Priority"] = Visit.Priority,
        ["PromisedAt"] = Visit.PromisedAt is { } promised ? ServiceData.LocalTime(context, promised) : null,
    };
}

/// <summary>
/// Records what a step of the visit produced: the greeting, the check-in sheet, the needs and their menu-priced
/// estimate, the customer's decision, the promised time, the handover, quality check, the car ready, the invoice,
/// the settlement and the delivery. The records commit with the step.
/// </summary>
[Activity("Followup", "Service", "Record the outcome of a step of the visit (check-in, needs, estimate, decision, promised time, invoice, delivery...).", DisplayName = "Record visit step")]
public sealed class RecordVisitStep : Activity
{
    public static readonly string[] Steps = ["Greeted", "CheckIn", "Needs", "Decision", "PromisedTime", "Handover", "AdditionalWork", "QualityCheck", "Rework", "Ready", "Invoice", "Settled", "Delivered"];

    [Input(Description = "The visit's id.")]
    public Input<string> VisitId { get; set; } = new(null);

    [Input(Description = "Which step's result to record.", UIHint = "dropdown", Options = ["Greeted", "CheckIn", "Needs", "Decision", "PromisedTime", "Handover", "AdditionalWork", "QualityCheck", "Rework", "Ready", "Invoice", "Settled", "Delivered"])]
    public Input<string> Step { get; set; } = new(null);

    [Input(Description = "What the step produced: a task's submitted values, or the lines a customer approved.")]
    public Input<object> Values { get; set; } = new(null);

    [Input(Description = "Labour rate per hour, for diagnosis lines and the time estimate.", DefaultValue = 300)]
    public Input<decimal> LabourRate { get; set; } = new(null);

    [Input(Description = "Workshop bays working in parallel, for the promised time.", DefaultValue = 4)]
    public Input<int> Bays { get; set; } = new(null);

    [Output(Description = "Needs / AdditionalWork: the lines to approve (JSON). PromisedTime: the promised time. Invoice: the total.")]
    public Output<object>? Result { get; set; }

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var visitId = context.Get(VisitId) ?? throw new ArgumentException("Record visit step needs the visit's id.");
        var step = context.Get(Step);
        var values = new StepValues(context.Get(Values));
        var facts = await ServiceData.ReadAsync(context, db => VisitFacts.LoadAsync(db, visitId, context.CancellationToken))
            ?? throw new InvalidOperationException($"There is no visit {visitId}.");
        var now = ServiceData.Now(context);
        object? result = null;
        switch (step)
        {
            case "Greeted":
                await UpdateAsync(context, step, visitId, v => v.GreetedAt ??= now);
                break;
            case "CheckIn":
                await ServiceData.WriteAsync(context, "step:CheckIn", "Visit", visitId, async (db, ct) =>
                {
                    var odometer = (int)(values.Number("odometer") ?? 0);
                    var row = await db.CheckIns.FirstOrDefaultAsync(c => c.VisitId == visitId, ct);
                    if (row is null)
                        db.CheckIns.Add(row = new CheckIn { VisitId = visitId });
                    row.Odometer = odometer;
                    row.FuelLevel = values.Text("fuel");
                    row.DamageNotes = values.Text("damage");
                    row.Valuables = values.Text("valuables");
                    row.CoversFitted = values.Flag("covers") ?? false;
                    row.Photos = values.Text("photo");
                    row.CustomerAcknowledged = values.Flag("acknowledged") ?? false;
                    row.WashAccepted = values.Flag("wash");
                    row.Waiting = values.Text("waiting") is { } w ? w == "wait" : null;
                    row.RecordedAt = now;
                    var last = await db.MileageReadings.Where(m => m.VehicleId == facts.Vehicle.Id).OrderByDescending(m => m.ReadAt).Select(m => (int?)m.Kilometres).FirstOrDefaultAsync(ct);
                    if (odometer > 0 && odometer >= (last ?? 0) && !await db.MileageReadings.AnyAsync(m => m.VehicleId == facts.Vehicle.Id && m.Source == "check-in:" + visitId, ct))
                        db.MileageReadings.Add(new MileageReading { VehicleId = facts.Vehicle.Id, Kilometres = odometer, ReadAt = now, Source = "check-in:" + visitId });
                });
                break;
            case "Needs":
                result = await RecordNeedsAsync(context, facts, values, now);
                break;
            case "Decision":
                var decided = context.Get(Values) is null ? null : StepValues.List(context.Get(Values));
                await ServiceData.WriteAsync(context, "step:Decision", "Visit", visitId, async (db, ct) =>
                {
                    var estimate = await db.Estimates.Include(e => e.Lines).Where(e => e.VisitId == visitId && e.Status == EstimateStatus.Pending).OrderByDescending(e => e.CreatedAt).FirstOrDefaultAsync(ct);
                    if (estimate is null)
                        return;
                    foreach (var line in estimate.Lines)
                        line.Approved = decided?.Contains(line.LineKey) ?? false;
                    var approved = estimate.Lines.Count(l => l.Approved == true);
                    estimate.Status = decided is null ? EstimateStatus.TimedOut
                        : approved == 0 ? EstimateStatus.Declined
                        : approved == estimate.Lines.Count ? EstimateStatus.Approved : EstimateStatus.PartiallyApproved;
                    estimate.DecidedAt = now;
                });
                break;
            case "PromisedTime":
                var promised = await ServiceData.ReadAsync(context, async db =>
                {
                    var hours = (await db.EstimateLines.Where(l => l.Approved == true && db.Estimates.Any(e => e.Id == l.EstimateId && e.VisitId == visitId)).Select(l => l.Hours).ToListAsync(context.CancellationToken)).Sum();
                    var queue = await db.Visits.CountAsync(v => v.Id != visitId && (v.Status == VisitStatus.InWorkshop || v.Status == VisitStatus.QualityCheck), context.CancellationToken);
                    return PromisedTime(now, hours, queue, Math.Max(1, context.Get(Bays)));
                });
                await UpdateAsync(context, step, visitId, v => v.PromisedAt = promised);
                result = ServiceData.LocalTime(context, promised);
                break;
            case "Handover":
                await UpdateAsync(context, step, visitId, v =>
                {
                    v.Status = VisitStatus.InWorkshop;
                    v.Technician = values.Text("technician") ?? v.Technician;
                });
                break;
            case "AdditionalWork":
                result = await RecordAdditionalWorkAsync(context, facts, values, now);
                break;
            case "QualityCheck":
                await UpdateAsync(context, step, visitId, v => v.Status = VisitStatus.QualityCheck);
                break;
            case "Rework":
                await UpdateAsync(context, step, visitId, v => v.Status = VisitStatus.InWorkshop);
                break;
            case "Ready":
                await UpdateAsync(context, step, visitId, v =>
                {
                    v.Status = VisitStatus.Ready;
                    v.ReadyAt ??= now;
                });
                break;
            case "Invoice":
                result = await RecordInvoiceAsync(context, facts, values, now);
                break;
            case "Settled":
                await ServiceData.WriteAsync(context, "step:Settled", "Visit", visitId, async (db, ct) =>
                {
                    var invoice = await db.Invoices.FirstOrDefaultAsync(i => i.VisitId == visitId, ct) ?? throw new InvalidOperationException($"Visit {facts.Visit.Number} has no invoice to settle.");
                    if (invoice.Status == InvoiceStatus.Blocked)
                        throw new InvalidOperationException($"Invoice {invoice.Number} has charges the customer has not approved; it cannot be settled.");
                    invoice.Status = InvoiceStatus.Settled;
                    invoice.SettledAt ??= now;
                    invoice.PaymentMethod = values.Text("payment");
                });
                break;
            case "Delivered":
                await UpdateAsync(context, step, visitId, v =>
                {
                    v.Status = VisitStatus.Delivered;
                    v.DeliveredAt ??= now;
                });
                break;
            default:
                throw new ArgumentException($"Unknown visit step '{step}'. Steps: {string.Join(", ", Steps)}.");
        }
        context.Set(Result, result);
        await context.CompleteAsync();
    }

    /// <summary>Promised completion: the approved labour hours, plus the queue ahead shared over the bays, plus half an hour for the quality check; on the next quarter hour.</summary>
    public static DateTime PromisedTime(DateTime now, decimal hours, int queue, int bays)
    {
        var minutes = (double)hours * 60 + queue * 60.0 / bays + 30;
        var at = now.AddMinutes(minutes);
        var quarter = TimeSpan.FromMinutes(15).Ticks;
        return new DateTime((at.Ticks + quarter - 1) / quarter * quarter, DateTimeKind.Utc);
    }

    /// <summary>Changes the visit with the step; a new status is also sent to the configured webhooks (a DMS).</summary>
    private static async Task UpdateAsync(ActivityExecutionContext context, string? step, string visitId, Action<Visit> change)
    {
        Visit? changed = null;
        await ServiceData.WriteAsync(context, $"step:{step}", "Visit", visitId, async (db, ct) =>
        {
            var visit = await db.Visits.FirstAsync(v => v.Id == visitId, ct);
            var before = visit.Status;
            change(visit);
            visit.UpdatedAt = ServiceData.Now(context);
            if (visit.Status != before)
                changed = visit;
        });
        if (changed != null)
            Messaging.VisitWebhooks.Enqueue(context, changed);
    }

    private async Task<string> RecordNeedsAsync(ActivityExecutionContext context, VisitFacts facts, StepValues values, DateTime now)
    {
        var visitId = facts.Visit.Id;
        var language = facts.Customer.Language;
        var warranty = values.Text("warranty") ?? WarrantyStatus.NotCovered;
        var concerns = (values.Text("concerns") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var codes = values.List("services");
        var catalog = (await ServiceData.ReadAsync(context, db => db.Catalog.AsNoTracking().Where(c => codes.Contains(c.Code)).ToListAsync(context.CancellationToken)))
            .OrderBy(i => codes.ToList().IndexOf(i.Code)).ToList();
        if (codes.FirstOrDefault(c => catalog.All(i => i.Code != c)) is { } unknown)
            throw new ArgumentException($"'{unknown}' is not in the service catalog.");
        var rate = context.Get(LabourRate);
        var lines = new List<EstimateLine>();
        var estimateId = context.Workflow.NewId();
        foreach (var item in catalog)
            lines.Add(new EstimateLine { EstimateId = estimateId, LineKey = item.Code, Description = item.Name(language), Hours = item.LabourHours, Labour = item.MenuPrice - item.PartsPrice, Parts = item.PartsPrice, PartsInStock = item.PartsInStock });
        for (var i = 0; i < concerns.Length; i++)
        {
            var covered = warranty == WarrantyStatus.Covered;
            lines.Add(new EstimateLine
            {
                EstimateId = estimateId,
                LineKey = $"diag-{i + 1}",
                Description = (language == "en" ? "Diagnosis: " : "检查：") + concerns[i],
                Reason = covered ? (language == "en" ? "Under warranty" : "保修范围内") : null,
                Hours = 0.5m,
                Labour = covered ? 0 : Math.Round(0.5m * rate, 2),
            });
        }
        await ServiceData.WriteAsync(context, "step:Needs", "Visit", visitId, async (db, ct) =>
        {
            db.Concerns.RemoveRange(db.Concerns.Where(c => c.VisitId == visitId));
            db.Concerns.AddRange(concerns.Select(c => new Concern { VisitId = visitId, Text = c, Warranty = warranty }));
            db.Concerns.AddRange(catalog.Select(c => new Concern { VisitId = visitId, Text = c.Name(language), CatalogCode = c.Code, Warranty = warranty }));
            await db.Estimates.Where(e => e.VisitId == visitId && e.Kind == EstimateKind.Estimate && e.Status == EstimateStatus.Pending).ExecuteDeleteAsync(ct);
            db.Estimates.Add(new Estimate { Id = estimateId, VisitId = visitId, Kind = EstimateKind.Estimate, CreatedAt = now, Lines = lines });
        });
        return ToApproval(lines);
    }

    private static async Task<string> RecordAdditionalWorkAsync(ActivityExecutionContext context, VisitFacts facts, StepValues values, DateTime now)
    {
        var visitId = facts.Visit.Id;
        var estimateId = context.Workflow.NewId();
        var line = new EstimateLine
        {
            EstimateId = estimateId,
            LineKey = "add-" + estimateId[^6..],
            Description = values.Text("description") ?? throw new ArgumentException("Additional work needs a description."),
            Reason = values.Text("reason"),
            Hours = values.Number("hours") ?? 0,
            Labour = values.Number("labour") ?? 0,
            Parts = values.Number("parts") ?? 0,
        };
        await ServiceData.WriteAsync(context, "step:AdditionalWork", "Visit", visitId, (db, _) =>
        {
            db.Estimates.Add(new Estimate { Id = estimateId, VisitId = visitId, Kind = EstimateKind.AdditionalWork, CreatedAt = now, Lines = [line] });
            return Task.CompletedTask;
        });
        return ToApproval([line]);
    }

    /// <summary>The invoice: every approved line at its approved price, plus what the workshop reports beyond them (checked before settlement).</summary>
    private static async Task<decimal> RecordInvoiceAsync(ActivityExecutionContext context, VisitFacts facts, StepValues values, DateTime now)
    {
        var visitId = facts.Visit.Id;
        var approved = await ServiceData.ReadAsync(context, db => db.EstimateLines.AsNoTracking()
            .Where(l => l.Approved == true && db.Estimates.Any(e => e.Id == l.EstimateId && e.VisitId == visitId)).OrderBy(l => l.Id).ToListAsync(context.CancellationToken));
        var invoiceId = context.Workflow.NewId();
        var lines = approved.Select(l => new InvoiceLine { InvoiceId = invoiceId, LineKey = l.LineKey, Description = l.Description, Labour = l.Labour, Parts = l.Parts }).ToList();
        if (values.Text("extraDescription") is { } extra && (values.Number("extraLabour") ?? 0) + (values.Number("extraParts") ?? 0) > 0)
            lines.Add(new InvoiceLine { InvoiceId = invoiceId, LineKey = "extra-" + invoiceId[^6..], Description = extra, Labour = values.Number("extraLabour") ?? 0, Parts = values.Number("extraParts") ?? 0 });
        await ServiceData.WriteAsync(context, "step:Invoice", "Visit", visitId, async (db, ct) =>
        {
            if (await db.Invoices.AnyAsync(i => i.VisitId == visitId, ct))
                throw new InvalidOperationException($"Visit {facts.Visit.Number} has an invoice already.");
            db.Invoices.Add(new Invoice { Id = invoiceId, VisitId = visitId, Number = facts.Visit.Number.Replace("RO-", "INV-", StringComparison.Ordinal), CreatedAt = now, Lines = lines });
        });
        return lines.Sum(l => l.Price);
    }

    public static string ToApproval(IEnumerable<EstimateLine> lines) => ApprovalContent.Serialize(
        lines.Select(l => new ApprovalLine(l.LineKey, l.Description, l.Reason, l.Labour, l.Parts, l.Hours)).ToList());
}

/// <summary>
/// Checks the invoice line by line against what the customer approved (estimate, additional work, earlier overruns).
/// A charge beyond that is an overrun: the invoice is blocked and the lines go to the customer for authorisation; what
/// the customer declined comes off the bill.
/// </summary>
[Activity("Followup", "Service", "Reconcile the invoice against the approved estimate; an unapproved overrun blocks settlement.", DisplayName = "Reconcile invoice")]
[FlowNode("Matched", "Overrun")]
public sealed class ReconcileInvoice : Activity
{
    [Input(Description = "The visit's id.")]
    public Input<string> VisitId { get; set; } = new(null);

    [Output(Description = "Overrun: the lines to authorise (JSON). Matched: the invoice total.")]
    public Output<object>? Result { get; set; }

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var visitId = context.Get(VisitId) ?? throw new ArgumentException("Reconcile invoice needs the visit's id.");
        var (invoice, decided) = await ServiceData.ReadAsync(context, async db => (
            await db.Invoices.AsNoTracking().Include(i => i.Lines).FirstOrDefaultAsync(i => i.VisitId == visitId, context.CancellationToken),
            await db.EstimateLines.AsNoTracking().Where(l => l.Approved != null && db.Estimates.Any(e => e.Id == l.EstimateId && e.VisitId == visitId)).OrderBy(l => l.Id).ToListAsync(context.CancellationToken)));
        if (invoice is null)
            throw new InvalidOperationException("There is no invoice to reconcile for this visit.");
        var plan = Reconciliation.Plan(invoice.Lines, decided);
        var now = ServiceData.Now(context);
        var estimateId = context.Workflow.NewId();
        await ServiceData.WriteAsync(context, plan.Overruns.Count > 0 ? "invoice:overrun" : "invoice:reconciled", "Invoice", invoice.Id, async (db, ct) =>
        {
            var row = await db.Invoices.Include(i => i.Lines).FirstAsync(i => i.Id == invoice.Id, ct);
            foreach (var line in row.Lines)
            {
                line.ApprovedPrice = plan.ApprovedPrices.GetValueOrDefault(line.LineKey);
                if (plan.Removed.Contains(line.LineKey))
                    db.InvoiceLines.Remove(line);
                else if (plan.CappedAt.TryGetValue(line.LineKey, out var cap))
                    line.Discount = line.Labour + line.Parts - cap;
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
            context.Set(Result, ApprovalContent.Serialize(plan.Overruns.Select(l => new ApprovalLine(l.LineKey, l.Description, null, l.Labour, l.Parts, null)).ToList()));
            await context.CompleteAsync("Overrun");
        }
        else
        {
            context.Set(Result, plan.Total);
            await context.CompleteAsync("Matched");
        }
    }
}

/// <summary>The arithmetic of reconciliation, apart from storage.</summary>
public static class Reconciliation
{
    public sealed record Result(IReadOnlyDictionary<string, decimal?> ApprovedPrices, IReadOnlyList<InvoiceLine> Overruns, IReadOnlySet<string> Removed, IReadOnlyDictionary<string, decimal> CappedAt, decimal Total);

    /// <summary>
    /// Each invoice line is matched by key with the latest decision on it: approved at a price (overrun if it costs more),
    /// declined (taken off, or capped at an earlier approved price), or never asked (overrun).
    /// </summary>
    public static Result Plan(IEnumerable<InvoiceLine> invoice, IReadOnlyList<EstimateLine> decided)
    {
        var approvedPrices = new Dictionary<string, decimal?>();
        var overruns = new List<InvoiceLine>();
        var removed = new HashSet<string>();
        var capped = new Dictionary<string, decimal>();
        var total = 0m;
        foreach (var line in invoice)
        {
            var price = line.Labour + line.Parts;
            var history = decided.Where(d => d.LineKey == line.LineKey).ToList();
            var approved = history.Where(d => d.Approved == true).Select(d => (decimal?)d.Price).Max();
            var declinedAtThisPrice = history.Any(d => d.Approved == false && d.Price == price);
            approvedPrices[line.LineKey] = approved;
            if (approved is { } a && price <= a)
            {
                total += price;
            }
            else if (declinedAtThisPrice || (history.Count > 0 && approved is null))
            {
                if (approved is { } earlier)
                {
                    capped[line.LineKey] = earlier;
                    total += earlier;
                }
                else
                {
                    removed.Add(line.LineKey);
                }
            }
            else
            {
                overruns.Add(line);
            }
        }
        return new Result(approvedPrices, overruns, removed, capped, total);
    }
}

/// <summary>
/// Fixed right first time: a visit for the same concern on the same vehicle within the window after an earlier one is a
/// comeback. It is linked to the original visit and the technical lead takes it.
/// </summary>
[Activity("Followup", "Service", "Flag a comeback: the same concern on the same vehicle within the window after an earlier visit.", DisplayName = "Detect comeback")]
[FlowNode("Comeback", "FirstTime")]
public sealed class DetectComeback : Activity
{
    [Input(Description = "The visit's id.")]
    public Input<string> VisitId { get; set; } = new(null);

    [Input(Description = "Days after an earlier delivery within which the same concern counts as a comeback.", DefaultValue = 30)]
    public Input<int> WindowDays { get; set; } = new(null);

    [Input(Description = "The technical lead (user name) who takes comebacks.")]
    public Input<string> TechnicalLead { get; set; } = new(null);

    [Output(Description = "The original visit's number, when this is a comeback.")]
    public Output<object>? Result { get; set; }

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var visitId = context.Get(VisitId) ?? throw new ArgumentException("Detect comeback needs the visit's id.");
        var window = TimeSpan.FromDays(Math.Max(1, context.Get(WindowDays)));
        var match = await ServiceData.ReadAsync(context, async db =>
        {
            var visit = await db.Visits.AsNoTracking().FirstAsync(v => v.Id == visitId, context.CancellationToken);
            var since = visit.CreatedAt - window;
            var earlier = await db.Visits.AsNoTracking()
                .Where(v => v.VehicleId == visit.VehicleId && v.Id != visitId && v.DeliveredAt != null && v.DeliveredAt >= since && v.DeliveredAt <= visit.CreatedAt)
                .ToListAsync(context.CancellationToken);
            var ids = earlier.Select(v => v.Id).Append(visitId).ToList();
            var concerns = await db.Concerns.AsNoTracking().Where(c => ids.Contains(c.VisitId)).ToListAsync(context.CancellationToken);
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
        var lead = context.Get(TechnicalLead);
        var now = ServiceData.Now(context);
        await ServiceData.WriteAsync(context, "comeback", "Visit", visitId, async (db, ct) =>
        {
            if (!await db.Comebacks.AnyAsync(c => c.VisitId == visitId, ct))
                db.Comebacks.Add(new Comeback { Id = context.Workflow.NewId(), VisitId = visitId, OriginalVisitId = found.Original.Id, Concern = found.Concern, TechnicalLead = lead, CreatedAt = now });
            var visit = await db.Visits.FirstAsync(v => v.Id == visitId, ct);
            visit.ComebackOf = found.Original.Id;
            visit.Technician = lead ?? visit.Technician;
        });
        context.Set(Result, found.Original.Number);
        await context.CompleteAsync("Comeback");
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
