using Followup.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Approvals;

/// <summary>Approvals by id and by visit, and when their link was first opened.</summary>
public sealed class ApprovalStore(IDbContextFactory<DealershipDbContext> factory)
{
    public async Task<ApprovalRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Approvals.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
    }

    public async Task<List<ApprovalRecord>> ListByCorrelationAsync(string correlationId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Approvals.AsNoTracking().Where(a => a.CorrelationId == correlationId).OrderBy(a => a.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>Records the first time the customer opened an approval's link.</summary>
    public async Task MarkOpenedAsync(string id, DateTime at, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Approvals.Where(a => a.Id == id && a.OpenedAt == null).ExecuteUpdateAsync(s => s.SetProperty(a => a.OpenedAt, at), cancellationToken);
    }

    /// <summary>
    /// Answered approvals whose workflow still waits on them: a database written before decisions committed with
    /// their workflow can hold them. Read against the engine's bookmarks table.
    /// </summary>
    public async Task<List<ApprovalRecord>> ListAnsweredNotResumedAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Approvals.FromSqlRaw("""
            SELECT a.* FROM "Approvals" a WHERE a."Status" = 'Answered'
            AND EXISTS (SELECT 1 FROM "Bookmarks" b WHERE b."InstanceId" = a."InstanceId" AND b."Id" = a."BookmarkId")
            """).AsNoTracking().ToListAsync(cancellationToken);
    }
}
