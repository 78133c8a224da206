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
            return StaffPages.Page<Pages.Dashboard.DashboardView>(context, new { Report = report, Advisors = advisors });
        }).RequireStaff(Roles.Manager);
        return app;
    }

    private static (DateTime From, DateTime To)? Period(TimeProvider clock, DateTimeOffset? from, DateTimeOffset? to)
    {
        var end = to?.UtcDateTime ?? clock.GetUtcNow().UtcDateTime;
        var start = from?.UtcDateTime ?? end.AddDays(-30);
        return start < end ? (start, end) : null;
    }
}
