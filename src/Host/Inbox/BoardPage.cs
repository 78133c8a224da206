using Followup.Activities.Data;
using Followup.Host.Pages;
using Followup.Host.Pages.Board;
using Followup.Host.Security;
using Microsoft.EntityFrameworkCore;

namespace Followup.Host.Inbox;

/// <summary>The workshop control board (<c>/board</c>): visits in the workshop with their promised times; late ones flagged.</summary>
public static class BoardPage
{
    public static WebApplication MapBoard(this WebApplication app)
    {
        app.MapGet("/board", async (HttpContext context, IDbContextFactory<DealershipDbContext> factory, TimeProvider clock, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            string[] open = [VisitStatus.Reception, VisitStatus.InWorkshop, VisitStatus.QualityCheck, VisitStatus.Ready];
            var visits = await db.Visits.AsNoTracking().Where(v => open.Contains(v.Status)).ToListAsync(ct);
            var vehicles = await db.Vehicles.AsNoTracking().Where(v => visits.Select(x => x.VehicleId).Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);
            return StaffPages.Page<BoardView>(context, new { Visits = visits, Vehicles = vehicles, Now = clock.GetUtcNow().UtcDateTime });
        }).RequireStaff();
        return app;
    }
}
