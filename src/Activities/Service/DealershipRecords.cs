using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Service;

/// <summary>
/// How the service activities read the dealership's records and write them with the workflow's step. A resumed burst's
/// first write is prepared (read and changed in a context of its own, not yet saved) and saved by the commit, in its
/// transaction with the instance's state: such a burst holds no transaction while its steps run and joins the group
/// commit. Anything further the burst reads or writes through here first saves that write in the burst's transaction,
/// so every step sees the writes before it.
/// </summary>
public sealed class DealershipRecords(IDbContextFactory<DealershipDbContext> factory, WorkflowDatabase database, IOptions<MessagingOptions> messaging, IOptions<StoreOptions> store)
{
    /// <summary>The store as customers know it.</summary>
    public StoreOptions Store => store.Value;

    /// <summary>Reads the records; inside a burst that already wrote, on its transaction so the step sees those writes.</summary>
    public async Task<T> ReadAsync<T>(ActivityExecutionContext context, Func<DealershipDbContext, Task<T>> read)
    {
        if (context.Workflow.Transaction is not null || context.Workflow.Records.Prepared is not null)
        {
            var burst = await context.Workflow.TransactionAsync();
            await using var inBurst = await burst.ContextAsync(c => DealershipDbContext.Over(c, burst.Database.Provider), context.CancellationToken);
            return await read(inBurst);
        }
        await using var db = await factory.CreateDbContextAsync(context.CancellationToken);
        return await read(db);
    }

    /// <summary>
    /// Writes records with the step: committed with the instance's state or not at all, so a crash before the commit
    /// leaves neither and the step run again writes them once. Each write leaves an audit entry naming the workflow.
    /// </summary>
    public async Task WriteAsync(ActivityExecutionContext context, string action, string entityType, string entityId, Func<DealershipDbContext, CancellationToken, Task> write)
    {
        var workflow = context.Workflow;
        var audit = AuditEntry.Of($"workflow:{workflow.Definition.DefinitionId}", action, entityType, entityId, Now(context));
        if (workflow.Transaction is null && workflow.MayPrepareWrites && workflow.Records.Prepared is null)
        {
            var prepared = new PreparedRecords(database);
            try
            {
                await write(prepared.Context, context.CancellationToken);
                prepared.Context.Audit.Add(audit);
            }
            catch
            {
                await prepared.DisposeAsync();
                throw;
            }
            workflow.Records.Prepare(prepared);
            return;
        }
        var burst = await workflow.TransactionAsync();
        await using var db = await burst.ContextAsync(c => DealershipDbContext.Over(c, burst.Database.Provider), context.CancellationToken);
        await write(db, context.CancellationToken);
        db.Audit.Add(audit);
        await db.SaveChangesAsync(context.CancellationToken);
    }

    /// <summary>
    /// A write prepared in a context of its own: its reads run on a connection of their own, outside any transaction;
    /// its changes are saved on the connection and in the transaction it is given. They are kept as changes after a
    /// save, so that a save in a transaction that was then rolled back can be made again.
    /// </summary>
    internal sealed class PreparedRecords : IPreparedWrite
    {
        private readonly System.Data.Common.DbConnection _reads;

        public PreparedRecords(WorkflowDatabase database)
        {
            _reads = database.Connection();
            Context = DealershipDbContext.Over(_reads, database.Provider);
        }

        public DealershipDbContext Context { get; }

        public async Task WriteAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken)
        {
            Context.Database.SetDbConnection(connection);
            await Context.Database.UseTransactionAsync(transaction, cancellationToken);
            // A refused save fails the whole transaction it is in (the group's, or the burst's, which is run again).
            Context.Database.AutoSavepointsEnabled = false;
            try
            {
                await Context.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
            }
            finally
            {
                await Context.Database.UseTransactionAsync(null, cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Context.DisposeAsync();
            await _reads.DisposeAsync();
        }
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
