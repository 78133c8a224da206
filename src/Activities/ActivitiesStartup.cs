using Followup.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Twilio.Clients;

namespace Followup.Activities;

/// <summary>Brings the dealership's tables up to date (taking over those an earlier release's engine made) and fills an empty menu catalog.</summary>
public static class ActivitiesStartup
{
    public static async Task InitializeActivitiesAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.DealershipDbContext>>().CreateDbContextAsync(cancellationToken);
        await Data.EarlierSchema.AdoptAsync(db, cancellationToken);
        await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.MigrateAsync(db.Database, cancellationToken);
        await Data.StandardCatalog.EnsureAsync(db, cancellationToken);
    }
}
