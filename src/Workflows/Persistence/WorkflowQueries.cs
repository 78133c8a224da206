using Microsoft.EntityFrameworkCore;

namespace Followup.Workflows.Persistence;

public sealed record InstanceQuery
{
    public string? DefinitionId { get; init; }
    public string? Status { get; init; }
    public string? SubStatus { get; init; }
    public string? CorrelationId { get; init; }

    /// <summary>0-based, as the Elsa API counts pages.</summary>
    public int Page { get; init; }

    public int PageSize { get; init; } = 50;
}

/// <summary>What the API and the pages read of instances, off the run path: pages of instances, an instance's journal and incidents.</summary>
public sealed class WorkflowQueries(IDbContextFactory<WorkflowDbContext> factory)
{
    public async Task<WorkflowInstanceRecord?> FindInstanceAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.WorkflowInstances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
    }

    public async Task<List<WorkflowInstanceRecord>> ListInstancesAsync(string? definitionId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.WorkflowInstances.AsNoTracking();
        if (definitionId != null)
            query = query.Where(i => i.DefinitionId == definitionId);
        return await query.OrderBy(i => i.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>A page of instances, newest first, with the total count of the filter.</summary>
    public async Task<(List<WorkflowInstanceRecord> Items, int Total)> QueryInstancesAsync(InstanceQuery filter, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.WorkflowInstances.AsNoTracking();
        if (filter.DefinitionId != null)
            query = query.Where(i => i.DefinitionId == filter.DefinitionId);
        if (filter.Status != null)
            query = query.Where(i => i.Status == filter.Status);
        if (filter.SubStatus != null)
            query = query.Where(i => i.SubStatus == filter.SubStatus);
        if (filter.CorrelationId != null)
            query = query.Where(i => i.CorrelationId == filter.CorrelationId);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id)
            .Skip(filter.Page * filter.PageSize).Take(filter.PageSize).ToListAsync(cancellationToken);
        return (items, total);
    }

    public async Task<List<JournalRecord>> ListJournalAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var bursts = await db.JournalBursts.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.FirstSequence).ToListAsync(cancellationToken);
        return [.. bursts.SelectMany(JournalEntries.Unpack)];
    }

    public async Task<List<IncidentRecord>> ListIncidentsAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Incidents.AsNoTracking().Where(i => i.InstanceId == instanceId).OrderBy(i => i.Timestamp).ToListAsync(cancellationToken);
    }
}
