using System.Globalization;
using System.Net;
using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Activities.Service.Steps;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Followup.Host.Inbox;

/// <summary>
/// Who and what a visit is about, for staff pages: the customer and the car, status and promised time; with
/// <c>full</c> also the check-in sheet, concerns, estimates with the customer's decisions, the bill and the callback.
/// </summary>
public static class VisitSummary
{
    public static async Task<string> RenderAsync(HttpContext context, string? number, string lang, bool full, CancellationToken ct)
    {
        if (number is null)
            return "";
        await using var db = await context.RequestServices.GetRequiredService<IDbContextFactory<DealershipDbContext>>().CreateDbContextAsync(ct);
        if (await db.Visits.AsNoTracking().FirstOrDefaultAsync(v => v.Number == number, ct) is not { } visit)
            return "";
        var en = lang == "en";
        var store = context.RequestServices.GetRequiredService<IOptions<MessagingOptions>>().Value;
        string Local(DateTime? utc) => utc is { } t ? store.Show(t, "MM-dd HH:mm") : "—";
        static string E(object? s) => WebUtility.HtmlEncode(Convert.ToString(s, CultureInfo.InvariantCulture) ?? "");
        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.Id == visit.CustomerId, ct);
        var vehicle = await db.Vehicles.AsNoTracking().FirstAsync(v => v.Id == visit.VehicleId, ct);
        var concerns = await db.Concerns.AsNoTracking().Where(c => c.VisitId == visit.Id).OrderBy(c => c.Id).Select(c => c.Text).ToListAsync(ct);
        var html = $"""
            <section class="visit-summary">
              <p><strong>{E(customer.Name)}</strong>{(VisitPage.SeesCustomerContact(context) ? $" · {E(customer.Phone)}" : "")} · {E(Pages.Words.Of(lang, customer.Language))}{(visit.Priority ? (en ? " · appointment" : " · 预约客户") : "")}</p>
              <p>{E(vehicle.Plate)} {E(vehicle.Model)} · VIN {E(vehicle.Vin)}</p>
              <p>{(en ? "Status" : "状态")}: {E(await StatusAsync(db, visit, lang, ct))} · {(en ? "Promised" : "承诺交车")}: {Local(visit.PromisedAt)} · {(en ? "Advisor" : "顾问")}: {E(visit.Advisor)} · {(en ? "Technician" : "技师")}: {E(visit.Technician)}</p>
              {(concerns.Count == 0 ? "" : $"<p>{(en ? "Concerns" : "客户需求")}: {E(string.Join("; ", concerns))}</p>")}
            """;
        if (await DeclinedBeforeAsync(db, visit, ct) is { Count: > 0 } before)
            html += $"<p class=\"declined-before\">{(en ? "Not done at the last visit" : "上次未做的项目")}: {E(EstimateLine.Phrase(before, en ? "en" : "zh-CN", markSafety: true))}</p>";
        // The lines and the bill on every page of the visit: the technician works the approved lines and leaves the
        // declined ones; the advisor explains the bill line by line.
        var shop = context.RequestServices.GetRequiredService<IOptions<Activities.Service.StoreOptions>>().Value;
        var estimates = (await db.Estimates.AsNoTracking().Include(e => e.Lines).Where(e => e.VisitId == visit.Id).ToListAsync(ct)).OrderBy(e => e.CreatedAt).ToList();
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).FirstOrDefaultAsync(i => i.VisitId == visit.Id, ct);
        if (full && await db.CheckIns.AsNoTracking().FirstOrDefaultAsync(c => c.VisitId == visit.Id, ct) is { } checkIn)
            html += $"<p>{(en ? "Check-in" : "预检")}: {checkIn.Odometer} km · {(en ? "fuel" : "油量")} {E(checkIn.FuelLevel switch { "E" => en ? "empty" : "空", "F" => en ? "full" : "满", var level => level })} · {E(checkIn.DamageNotes)} · {(en ? "valuables" : "贵重物品")} {E(checkIn.Valuables)} · " +
                    $"{(en ? "wash" : "洗车")} {(checkIn.WashAccepted == true ? (en ? "yes" : "需要") : (en ? "no" : "不需要"))} · {(checkIn.Waiting == true ? (en ? "waiting in the lounge" : "休息区等候") : (en ? "left" : "离店"))}</p>";
        foreach (var estimate in estimates)
            html += $"<h3>{E(Pages.Words.Of(lang, estimate.Kind))} · {E(Pages.Words.Of(lang, estimate.Status))}</h3><table class=\"lines\">" + string.Concat(estimate.Lines.Select(l =>
                $"<tr><td>{E(l.Description)}{Paid(l.PayType, en)}{(l.Safety ? (en ? " · safety" : " · 安全") : "")}</td><td>{E(shop.Money(l.Price))}</td><td>{(l.Approved switch { true => en ? "✓ approved" : "✓ 同意", false => en ? "✗ declined" : "✗ 未同意", _ => en ? "… waiting" : "… 待确认" })}</td></tr>")) + "</table>";
        var declinedSafety = estimates.Where(e => e.Status != EstimateStatus.Pending).SelectMany(e => e.Lines).Where(l => l.Safety && l.Approved != true).Select(l => l.Description).ToList();
        if (RecordInvoice.DeclinedSafetyNote(declinedSafety, en ? "en" : "zh-CN") is { } safetyNote)
            html += $"<p class=\"safety\">⚠ {E(safetyNote)}</p>";
        if (invoice != null)
            html += $"<h3>{(en ? "Invoice" : "结算单")} {E(invoice.Number)} · {E(Pages.Words.Of(lang, invoice.Status))} · {E(shop.Money(invoice.Total))}</h3><table class=\"lines\">" + string.Concat(invoice.Lines.Select(l =>
                $"<tr{(l.IsOverrun ? " class=\"overrun\"" : "")}><td>{E(l.Description)}{Paid(l.PayType, en)}</td><td>{E(shop.Money(l.Price))}</td><td>{(l.ApprovedPrice is { } a ? (en ? $"approved {shop.Money(a)}" : $"已批准 {shop.Money(a)}") : (en ? "not approved" : "未批准"))}</td></tr>")) + "</table>"
                + (invoice.DeclinedSafety is { } printed ? $"<p class=\"safety\">{(en ? "On the invoice" : "结算单注明")}: {E(printed)}</p>" : "");
        if (full)
        {
            var callback = await db.Callbacks.AsNoTracking().FirstOrDefaultAsync(c => c.VisitId == visit.Id, ct);
            var comeback = await db.Comebacks.AsNoTracking().FirstOrDefaultAsync(c => c.VisitId == visit.Id, ct);
            var original = comeback is null ? null : await db.Visits.AsNoTracking().Where(v => v.Id == comeback.OriginalVisitId).Select(v => v.Number).FirstOrDefaultAsync(ct);
            if (callback != null)
                html += $"<p>{(en ? "Callback" : "回访")}: {E(Pages.Words.Of(lang, callback.Status))} · {(en ? "score" : "评分")} {E(callback.Score)} · {E(callback.Comments)}</p>";
            if (original != null)
                html += $"<p class=\"comeback\">{(en ? "Comeback of" : "返修，原工单")} <a href=\"/visits/{E(original)}\">{E(original)}</a></p>";
        }
        return html + "</section>";
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

    /// <summary>Who pays a line, when it is not the customer.</summary>
    private static string Paid(string payType, bool en) => payType switch
    {
        PayType.Warranty => en ? " · warranty" : " · 保修",
        PayType.Internal => en ? " · internal" : " · 内部",
        _ => "",
    };
}
