using System.Net;
using Followup.Activities.Data;
using Followup.Host.Security;
using Followup.Host.Staff;
using Microsoft.EntityFrameworkCore;

using Followup.Host.Pages;

namespace Followup.Host.Inbox;

/// <summary>The workshop control board (<c>/board</c>): visits in the workshop with their promised times; late ones flagged.</summary>
public static class BoardPage
{
    private const string Style = """
        <style>td, th { text-align: left; padding: .4rem; border-bottom: 1px solid #ddd; } tr.late td { background: #fdecea; }</style>
        <meta http-equiv="refresh" content="30">
        """;

    public static WebApplication MapBoard(this WebApplication app)
    {
        app.MapGet("/board", async (HttpContext context, IDbContextFactory<DealershipDbContext> factory, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Followup.Activities.Messaging.MessagingOptions> messaging, CancellationToken ct) =>
        {
            var lang = StaffText.Language(context);
            var en = lang == "en";
            static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
            await using var db = await factory.CreateDbContextAsync(ct);
            string[] open = [VisitStatus.Reception, VisitStatus.InWorkshop, VisitStatus.QualityCheck, VisitStatus.Ready];
            var visits = await db.Visits.AsNoTracking().Where(v => open.Contains(v.Status)).ToListAsync(ct);
            var vehicles = await db.Vehicles.AsNoTracking().Where(v => visits.Select(x => x.VehicleId).Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var rows = string.Concat(visits.OrderBy(v => v.PromisedAt ?? DateTime.MaxValue).Select(v =>
            {
                var late = v.PromisedAt < now && v.Status != VisitStatus.Ready;
                var car = vehicles.GetValueOrDefault(v.VehicleId);
                return $"<tr class=\"{(late ? "late" : "")}\"><td><a href=\"/visits/{E(v.Number)}\">{E(v.Number)}</a></td><td>{E(car?.Plate)} {E(car?.Model)}</td><td>{E(v.Status)}</td>" +
                       $"<td>{(v.PromisedAt is { } p ? messaging.Value.Show(p, "MM-dd HH:mm") : "—")}{(late ? $" <strong>{(en ? "LATE" : "已超时")}</strong>" : "")}</td><td>{E(v.Advisor)}</td><td>{E(v.Technician)}</td></tr>";
            }));
            var body = $"""
                <main class="card" style="max-width:1100px">
                  <h1>{(en ? "Workshop board" : "车间看板")}</h1>
                  <table style="width:100%;border-collapse:collapse"><thead><tr><th>{(en ? "Visit" : "工单")}</th><th>{(en ? "Vehicle" : "车辆")}</th><th>{(en ? "Status" : "状态")}</th><th>{(en ? "Promised" : "承诺交车")}</th><th>{(en ? "Advisor" : "顾问")}</th><th>{(en ? "Technician" : "技师")}</th></tr></thead>
                  <tbody>{rows}</tbody></table>
                </main>
                """;
            return StaffPages.Markup(context, en ? "Workshop board" : "车间看板", body + Style);
        }).RequireStaff();
        return app;
    }
}
