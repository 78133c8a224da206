using Followup.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Tasks;

/// <summary>The inbox's rows: tasks by id, by person and role, by visit; who holds an open one.</summary>
public sealed class TaskStore(IDbContextFactory<DealershipDbContext> factory)
{
    public async Task<HumanTaskRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.HumanTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
    }

    /// <summary>Open tasks for a person: assigned to them, or to one of their roles (or escalated from one) and not claimed by someone else (every open task with <paramref name="all"/>); soonest due first.</summary>
    public async Task<List<HumanTaskRecord>> ListOpenAsync(string userName, IReadOnlyList<string> roles, bool all, CancellationToken cancellationToken) =>
        (await ListOpenAsync(userName, roles, all, int.MaxValue, cancellationToken)).Tasks;

    /// <summary>
    /// The open tasks a staff member sees (every open task with <paramref name="all"/>), soonest due first (those without
    /// a due time last), at most <paramref name="take"/> of them, and how many there are in all.
    /// </summary>
    public async Task<OpenTasks> ListOpenAsync(string userName, IReadOnlyList<string> roles, bool all, int take, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var roleList = roles.ToList();
        var query = db.HumanTasks.AsNoTracking().Where(t => t.Status == HumanTaskStatus.Open);
        if (!all)
        {
            query = query.Where(t => (t.AssigneeUser == userName || t.ClaimedBy == userName
                || (t.AssigneeUser == null && t.ClaimedBy == null && ((t.AssigneeRole != null && roleList.Contains(t.AssigneeRole)) || (t.EscalatedFrom != null && roleList.Contains(t.EscalatedFrom)))))
                && (t.ExcludedUser == null || t.ExcludedUser != userName));
        }
        var tasks = await query.OrderBy(t => t.DueAt == null).ThenBy(t => t.DueAt).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id).Take(take).ToListAsync(cancellationToken);
        return new OpenTasks(tasks, tasks.Count < take ? tasks.Count : await query.CountAsync(cancellationToken));
    }

    /// <summary>Sets who works on an open task; false when it is not open (or, with <paramref name="onlyIfFree"/>, when someone else has it).</summary>
    public async Task<bool> SetHolderAsync(string id, string? claimedBy, string? assigneeUser, string? assigneeRole, bool onlyIfFree, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.HumanTasks.Where(t => t.Id == id && t.Status == HumanTaskStatus.Open);
        if (onlyIfFree)
            query = query.Where(t => t.ClaimedBy == null || t.ClaimedBy == claimedBy);
        return await query.ExecuteUpdateAsync(s => s
            .SetProperty(t => t.ClaimedBy, claimedBy)
            .SetProperty(t => t.AssigneeUser, t => assigneeUser ?? t.AssigneeUser)
            .SetProperty(t => t.AssigneeRole, t => assigneeRole ?? t.AssigneeRole), cancellationToken) == 1;
    }

    public async Task<List<HumanTaskRecord>> ListByCorrelationAsync(string correlationId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.HumanTasks.AsNoTracking().Where(t => t.CorrelationId == correlationId).OrderBy(t => t.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Completed tasks whose workflow still waits on them: a database written before completions committed with
    /// their workflow can hold them (a crash came in between). Read against the engine's bookmarks table.
    /// </summary>
    public async Task<List<HumanTaskRecord>> ListCompletedNotResumedAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.HumanTasks.FromSqlRaw("""
            SELECT t.* FROM "HumanTasks" t WHERE t."Status" = 'Completed'
            AND EXISTS (SELECT 1 FROM "Bookmarks" b WHERE b."InstanceId" = t."InstanceId" AND b."Id" = t."BookmarkId")
            """).AsNoTracking().ToListAsync(cancellationToken);
    }
}

/// <summary>A page of open tasks, soonest due first, and how many open tasks there are in all.</summary>
public sealed record OpenTasks(List<HumanTaskRecord> Tasks, int Total);
