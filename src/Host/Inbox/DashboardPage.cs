using Followup.Activities.Messaging;
using Microsoft.Extensions.Options;
using System.Globalization;
using System.Net;
using Followup.Activities.Data;
using Followup.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Followup.Host.Staff;
using Microsoft.EntityFrameworkCore;

using Followup.Host.Pages;

namespace Followup.Host.Inbox;

/// <summary>
/// The service manager's dashboard (<c>/dashboard</c>) and its figures as JSON (<c>/api/kpis</c>): per period (default
/// the last 30 days) and per advisor, each rate with what it counts so it can be checked.
/// </summary>
public static class DashboardPage
{
    private const string Style = """
        <style>
          .kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: .8rem; }
          .kpi { border: 1px solid #ddd; border-radius: 8px; padding: .8rem; }
          .kpi .v { font-size: 1.6rem; font-weight: 600; }
          .kpi .n { color: #666; font-size: .85rem; }
          .bar { height: .6rem; background: #e3e8ef; border-radius: 4px; margin-top: .4rem; }
          .bar span { display: block; height: 100%; background: #1f4e8c; border-radius: 4px; }
          form.period { display: flex; gap: .6rem; align-items: end; flex-wrap: wrap; margin-bottom: 1rem; }
          form.period label { display: flex; flex-direction: column; font-size: .85rem; }
        </style>
        """;

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapGet("/api/kpis", async Task<Results<Ok<KpiReport>, ValidationProblem>> (IDbContextFactory<DealershipDbContext> factory, TimeProvider clock, IOptions<MessagingOptions> messaging, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null, string? advisor = null) =>
        {
            if (Period(clock, from, to) is not { } period)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["The end of the period comes after its start."] });
            await using var db = await factory.CreateDbContextAsync(ct);
            return TypedResults.Ok(await ServiceKpis.ComputeAsync(db, period.From, period.To, string.IsNullOrWhiteSpace(advisor) ? null : advisor, clock.GetUtcNow().UtcDateTime, messaging.Value.Zone, ct));
        }).RequireStaffOrApiKey(Roles.Manager)
            .WithTags("Dashboard").WithSummary("The dashboard's figures for a period (default: the last 30 days), for the store or one advisor.");

        app.MapGet("/dashboard", async (HttpContext context, IDbContextFactory<DealershipDbContext> factory, TimeProvider clock, IOptions<MessagingOptions> messaging,
            Microsoft.AspNetCore.Identity.UserManager<StaffUser> users, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null, string? advisor = null) =>
        {
            var lang = StaffText.Language(context);
            var en = lang == "en";
            var period = Period(clock, from, to) ?? Period(clock, null, null)!.Value;
            advisor = string.IsNullOrWhiteSpace(advisor) ? null : advisor.Trim();
            await using var db = await factory.CreateDbContextAsync(ct);
            var report = await ServiceKpis.ComputeAsync(db, period.From, period.To, advisor, clock.GetUtcNow().UtcDateTime, messaging.Value.Zone, ct);
            // The filter lists the store's advisors (by name), not whoever once opened a visit.
            var advisors = (await users.GetUsersInRoleAsync(Roles.Advisor)).Select(u => (u.UserName!, u.DisplayName ?? u.UserName!)).ToList();
            return StaffPages.Markup(context, en ? "Service dashboard" : "服务看板", Render(report, advisors, en) + Style);
        }).RequireStaff(Roles.Manager);
        return app;
    }

    private static (DateTime From, DateTime To)? Period(TimeProvider clock, DateTimeOffset? from, DateTimeOffset? to)
    {
        var end = to?.UtcDateTime ?? clock.GetUtcNow().UtcDateTime;
        var start = from?.UtcDateTime ?? end.AddDays(-30);
        return start < end ? (start, end) : null;
    }

    private static string Render(KpiReport r, IReadOnlyList<(string UserName, string Name)> advisors, bool en)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        static string Pct(Ratio ratio) => ratio.Value is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";
        string Rate(string id, string zh, string english, Ratio ratio) =>
            $"<div class=\"kpi\" id=\"{id}\"><div>{(en ? english : zh)}</div><div class=\"v\">{Pct(ratio)}</div><div class=\"n\">{ratio.Count} / {ratio.Of}</div>" +
            $"<div class=\"bar\"><span style=\"width:{((ratio.Value ?? 0) * 100).ToString("0.#", CultureInfo.InvariantCulture)}%\"></span></div></div>";
        string Figure(string id, string zh, string english, string value, string note) =>
            $"<div class=\"kpi\" id=\"{id}\"><div>{(en ? english : zh)}</div><div class=\"v\">{value}</div><div class=\"n\">{note}</div></div>";
        var most = Math.Max(1, r.Satisfaction.Max());
        var chart = "<svg viewBox=\"0 0 250 120\" width=\"250\" height=\"120\" role=\"img\" aria-label=\"" + (en ? "Satisfaction scores" : "满意度分布") + "\">" +
            string.Concat(r.Satisfaction.Select((count, i) =>
            {
                var h = (int)Math.Round(90.0 * count / most);
                return $"<rect x=\"{10 + i * 48}\" y=\"{100 - h}\" width=\"36\" height=\"{h}\" fill=\"#1f4e8c\"><title>{i + 1}: {count}</title></rect>" +
                       $"<text x=\"{28 + i * 48}\" y=\"115\" text-anchor=\"middle\" font-size=\"11\">{i + 1}</text><text x=\"{28 + i * 48}\" y=\"{96 - h}\" text-anchor=\"middle\" font-size=\"11\">{count}</text>";
            })) + "</svg>";
        var options = string.Concat(advisors.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => $"<option value=\"{E(a.UserName)}\"{(a.UserName == r.Advisor ? " selected" : "")}>{E(a.Name)}</option>"));
        var variance = r.EstimateInvoiceVariance is { } v ? (v * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%" : "—";
        return $"""
            <main class="card" style="max-width:1100px">
              <h1>{(en ? "Service dashboard" : "服务看板")}</h1>
              <form class="period" method="get">
                <label>{(en ? "From" : "开始")}<input type="date" name="from" value="{r.From:yyyy-MM-dd}"></label>
                <label>{(en ? "To" : "结束")}<input type="date" name="to" value="{r.To:yyyy-MM-dd}"></label>
                <label>{(en ? "Advisor" : "服务顾问")}<select name="advisor"><option value="">{(en ? "All" : "全部")}</option>{options}</select></label>
                <button type="submit">{(en ? "Show" : "查看")}</button>
              </form>
              <p>{(en ? "Visits" : "进厂台次")}: <strong id="visits">{r.Visits}</strong></p>
              <div class="kpis">
                {Figure("greet", "接待用时（平均分钟）", "Time to greet (average minutes)", r.MinutesToGreet?.ToString("0.0", CultureInfo.InvariantCulture) ?? "—", (en ? "within 5 min: " : "5分钟内：") + Pct(r.GreetedWithinSla))}
                {Rate("estimate-approval", "估价单批准率", "Estimate approval rate", r.EstimateApproval)}
                {Figure("approve-time", "批准用时（平均分钟）", "Time to approve (average minutes)", r.MinutesToApprove?.ToString("0.0", CultureInfo.InvariantCulture) ?? "—", "")}
                {Rate("additional-approval", "追加项目批准率", "Additional work approval rate", r.AdditionalWorkApproval)}
                {Rate("promise-kept", "按承诺时间交车率", "Promised time kept", r.PromisedTimeKept)}
                {Figure("variance", "结算与估价差异", "Invoice vs estimate", variance, $"{r.InvoicedTotal:0.00} / {r.EstimatedTotal:0.00}")}
                {Rate("callback-3d", "3日内回访率", "Callbacks within 3 days", r.CallbackWithin3Days)}
                {Rate("comebacks", "返修率", "Comeback rate", r.Comebacks)}
                {Rate("reminder-booking", "保养提醒预约转化率", "Reminder → booking", r.ReminderBooking)}
                {Rate("declined-booked", "未做项目跟进预约率", "Declined work → booked", r.DeclinedWorkBooked)}
                {Rate("show-rate", "预约到店率", "Appointment show rate", r.AppointmentShow)}
                <div class="kpi" id="satisfaction"><div>{(en ? "Satisfaction scores (1–5)" : "满意度评分分布（1–5）")}</div>{chart}</div>
              </div>
            </main>
            """;
    }
}
