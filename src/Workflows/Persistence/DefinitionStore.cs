using Microsoft.EntityFrameworkCore;

namespace Followup.Workflows.Persistence;

/// <summary>Definition versions and the triggers of published ones.</summary>
public sealed class DefinitionStore(IDbContextFactory<WorkflowDbContext> factory)
{
    public async Task<List<WorkflowDefinitionRecord>> ListDefinitionsAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.WorkflowDefinitions.AsNoTracking().OrderBy(d => d.DefinitionId).ThenBy(d => d.Version).ToListAsync(cancellationToken);
    }

    /// <summary>The stored versions of one definition.</summary>
    public async Task<List<WorkflowDefinitionRecord>> ListDefinitionsAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.WorkflowDefinitions.AsNoTracking().Where(d => d.DefinitionId == definitionId).OrderBy(d => d.Version).ToListAsync(cancellationToken);
    }

    /// <summary>What identifies the stored state of one definition cheaply: each version's id, number, flags and last change.</summary>
    public async Task<List<(string Id, int Version, bool IsLatest, bool IsPublished, DateTime UpdatedAt)>> ListVersionStampsAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return (await db.WorkflowDefinitions.AsNoTracking().Where(d => d.DefinitionId == definitionId)
            .Select(d => new { d.Id, d.Version, d.IsLatest, d.IsPublished, d.UpdatedAt }).ToListAsync(cancellationToken))
            .Select(d => (d.Id, d.Version, d.IsLatest, d.IsPublished, d.UpdatedAt)).OrderBy(d => d.Version).ToList();
    }

    /// <summary>Writes definition versions (inserted or replaced) and deletes others, in one transaction.</summary>
    public async Task SaveDefinitionsAsync(IReadOnlyList<WorkflowDefinitionRecord> upserts, IReadOnlyList<string> deletedIds, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (deletedIds.Count > 0)
        {
            var ids = deletedIds.ToList();
            await db.WorkflowDefinitions.Where(d => ids.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken);
        }
        var upsertIds = upserts.Select(u => u.Id).ToList();
        var existing = await db.WorkflowDefinitions.Where(d => upsertIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        foreach (var record in upserts)
        {
            if (existing.TryGetValue(record.Id, out var row))
                db.Entry(row).CurrentValues.SetValues(record);
            else
                db.WorkflowDefinitions.Add(record);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Replaces a definition's triggers; returns the ones it had.</summary>
    public async Task<List<TriggerRecord>> ReplaceTriggersAsync(string definitionId, IReadOnlyList<TriggerRecord> triggers, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var old = await db.Triggers.AsNoTracking().Where(t => t.DefinitionId == definitionId).ToListAsync(cancellationToken);
        await db.Triggers.Where(t => t.DefinitionId == definitionId).ExecuteDeleteAsync(cancellationToken);
        db.Triggers.AddRange(triggers);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return old;
    }

    public async Task<List<TriggerRecord>> FindTriggersAsync(string hash, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Triggers.AsNoTracking().Where(t => t.Hash == hash).ToListAsync(cancellationToken);
    }

    public async Task<TriggerRecord?> FindTriggerAsync(string triggerId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Triggers.AsNoTracking().FirstOrDefaultAsync(t => t.Id == triggerId, cancellationToken);
    }

    /// <summary>Records the job of a trigger's next start and when it is due (null: no further start).</summary>
    public async Task SetTriggerJobAsync(string triggerId, string? jobId, DateTime? nextStart, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Triggers.Where(t => t.Id == triggerId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.SchedulerJobId, jobId)
            .SetProperty(t => t.StartAt, nextStart), cancellationToken);
    }

    public async Task<List<TriggerRecord>> ListScheduledTriggersAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Triggers.AsNoTracking().Where(t => t.StartAt != null || t.Interval != null || t.CronExpression != null).ToListAsync(cancellationToken);
    }
}
