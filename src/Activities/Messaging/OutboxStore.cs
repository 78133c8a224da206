using Followup.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Messaging;

/// <summary>The outbox's rows: what the dispatcher sends, what staff read, what a staff change adds outside any workflow step.</summary>
public sealed class OutboxStore(IDbContextFactory<DealershipDbContext> factory)
{
    public async Task<OutboxRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Outbox.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
    }

    public async Task<OutboxRecord?> FindByProviderIdAsync(string providerId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Outbox.AsNoTracking().FirstOrDefaultAsync(o => o.ProviderId == providerId, cancellationToken);
    }

    /// <summary>Adds messages decided outside a workflow step (a staff change told to another system); a repeated idempotency key is ignored.</summary>
    public async Task AddAsync(IReadOnlyList<OutboxRecord> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            if (await db.Outbox.AnyAsync(o => o.IdempotencyKey == record.IdempotencyKey, cancellationToken))
                continue;
            db.Outbox.Add(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The same request at the same moment added it: it is there once. Anything else is an error.
                if (!await KeyTakenAsync(record.IdempotencyKey, cancellationToken))
                    throw;
            }
        }
    }

    private async Task<bool> KeyTakenAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Outbox.AnyAsync(o => o.IdempotencyKey == key, cancellationToken);
    }

    /// <summary>Writes a message's new state; committed before the caller acts on it.</summary>
    public async Task SaveAsync(OutboxRecord record, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.Outbox.Update(record);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Messages not final yet whose time has come (or that have none), oldest first.</summary>
    public async Task<List<OutboxRecord>> ListDueAsync(DateTime now, int limit, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        string[] open = [OutboxStatus.Pending, OutboxStatus.Held, OutboxStatus.Sending];
        return await db.Outbox.AsNoTracking().Where(o => open.Contains(o.Status) && (o.NotBefore == null || o.NotBefore <= now))
            .OrderBy(o => o.CreatedAt).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>The newest messages, of one visit or appointment when <paramref name="correlationId"/> is given.</summary>
    public async Task<List<OutboxRecord>> ListAsync(string? correlationId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Outbox.AsNoTracking();
        if (correlationId != null)
            query = query.Where(o => o.CorrelationId == correlationId);
        return await query.OrderByDescending(o => o.CreatedAt).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<int> CountBacklogAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Outbox.CountAsync(o => o.Status == OutboxStatus.Pending || o.Status == OutboxStatus.Held || o.Status == OutboxStatus.Sending, cancellationToken);
    }
}
