using Followup.Activities.Data;
using Followup.Workflows.Persistence;
using Followup.Workflows.Persistence.Sql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Activities.Tests;

/// <summary>The contexts a burst writes its records with, which are given back and used again by later bursts.</summary>
public sealed class BurstContextTests
{
    [Fact]
    public async Task A_context_given_back_leaves_its_burst_alone_and_the_next_burst_writes_only_its_own_records()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var database = h.Services.GetRequiredService<WorkflowDatabase>();
        var now = h.Clock.GetUtcNow().UtcDateTime;

        // The first burst writes a customer, gives its context back, and is then rolled back (it crashed before its commit).
        await using (var first = await BurstTransaction.BeginAsync(database, CancellationToken.None))
        {
            await using (var db = await first.ContextAsync(c => DealershipDbContext.Over(c, database.Provider), CancellationToken.None))
            {
                db.Customers.Add(new Customer { Id = "lost", Name = "Zhao Lei", Phone = "+8613900139000", Language = "zh-CN", CreatedAt = now, UpdatedAt = now });
                await db.SaveChangesAsync();
            }
            // The burst's connection and transaction are still its own: it reads what it wrote.
            Assert.Equal(System.Data.ConnectionState.Open, first.Connection.State);
            await using (var again = await first.ContextAsync(c => DealershipDbContext.Over(c, database.Provider), CancellationToken.None))
                Assert.True(await again.Customers.AnyAsync(c => c.Id == "lost"));
            await first.Transaction.RollbackAsync();
        }

        // The next burst's context (the same one, from the pool) tracks nothing of the first and writes on its own transaction.
        await using (var second = await BurstTransaction.BeginAsync(database, CancellationToken.None))
        {
            await using (var db = await second.ContextAsync(c => DealershipDbContext.Over(c, database.Provider), CancellationToken.None))
            {
                Assert.Empty(db.ChangeTracker.Entries());
                db.Customers.Add(new Customer { Id = "kept", Name = "Sun Li", Phone = "+8613700137000", Language = "zh-CN", CreatedAt = now, UpdatedAt = now });
                await db.SaveChangesAsync();
            }
            await second.Transaction.CommitAsync();
        }

        await using var read = await h.DbAsync();
        Assert.Equal(["customer-1", "kept"], await read.Customers.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync());
    }
}
