using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Service;

/// <summary>How the service activities read the dealership's records and write them with the workflow's step.</summary>
public sealed class DealershipRecords(IDbContextFactory<DealershipDbContext> factory, IOptions<MessagingOptions> messaging, IOptions<StoreOptions> store)
{
    /// <summary>The store as customers know it.</summary>
    public StoreOptions Store => store.Value;

    /// <summary>Reads the records; inside a burst that already wrote, on its transaction so the step sees those writes.</summary>
    public async Task<T> ReadAsync<T>(ActivityExecutionContext context, Func<DealershipDbContext, Task<T>> read)
    {
        if (context.Workflow.Transaction is { } burst)
        {
            await using var inBurst = await burst.ContextAsync(c => DealershipDbContext.Over(c, burst.Database.Provider), context.CancellationToken);
            return await read(inBurst);
        }
        await using var db = await factory.CreateDbContextAsync(context.CancellationToken);
        return await read(db);
    }

    /// <summary>
    /// Writes records in the transaction that commits the step: a crash before the commit leaves neither, and the
    /// step run again writes them once. Each write leaves an audit entry naming the workflow.
    /// </summary>
    public async Task WriteAsync(ActivityExecutionContext context, string action, string entityType, string entityId, Func<DealershipDbContext, CancellationToken, Task> write)
    {
        var burst = await context.Workflow.TransactionAsync();
        await using var db = await burst.ContextAsync(c => DealershipDbContext.Over(c, burst.Database.Provider), context.CancellationToken);
        await write(db, context.CancellationToken);
        db.Audit.Add(AuditEntry.Of($"workflow:{context.Workflow.Definition.DefinitionId}", action, entityType, entityId, Now(context)));
        await db.SaveChangesAsync(context.CancellationToken);
    }

    /// <summary>A visit with its customer and vehicle; a missing one is an error of the workflow.</summary>
    public async Task<VisitFacts> VisitAsync(ActivityExecutionContext context, string? visitId) =>
        visitId is null
            ? throw new ArgumentException($"{context.Node.DisplayName} needs the visit's id.")
            : await ReadAsync(context, db => VisitFacts.LoadAsync(db, visitId, context.CancellationToken)) ?? throw new InvalidOperationException($"There is no visit {visitId}.");

    public static DateTime Now(ActivityExecutionContext context) => context.Clock.GetUtcNow().UtcDateTime;

    /// <summary>A time as the store's staff and customers read it (the store's time zone).</summary>
    public string LocalTime(DateTime utc) => messaging.Value.Show(utc);

    /// <summary>A UTC time as the store's clock shows it.</summary>
    public DateTime StoreTime(DateTime utc) => messaging.Value.StoreTime(utc);

    /// <summary>A time on the store's clock, in UTC.</summary>
    public DateTime Utc(DateTime storeTime) => TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(storeTime, DateTimeKind.Unspecified), messaging.Value.Zone);

    /// <summary>The given UTC time when the store is open then, else when it next opens (UTC).</summary>
    public DateTime OpenFrom(DateTime utc) => Utc(Store.OpenFrom(StoreTime(utc)));

    /// <summary>The store's opening (or closing) time on the day <paramref name="days"/> after the store-time day of <paramref name="utc"/>, in UTC.</summary>
    public DateTime DayAfter(DateTime utc, int days, bool closing = false) =>
        Utc(StoreTime(utc).Date.AddDays(days) + (closing ? Store.ClosesAt : Store.OpensAt).ToTimeSpan());
}
