using Followup.Workflows.Scheduling;

namespace Followup.Workflows.Persistence.Postgres;

/// <summary>A lock per instance across hosts sharing one PostgreSQL database: a session-level advisory lock.</summary>
public sealed class PostgresWorkflowLock(Persistence.WorkflowDatabase database) : IWorkflowLock
{
    public async Task<IAsyncDisposable> AcquireAsync(string instanceId, CancellationToken cancellationToken)
    {
        var key = new Medallion.Threading.Postgres.PostgresAdvisoryLockKey($"workflow-instance:{instanceId}", allowHashing: true);
        return await new Medallion.Threading.Postgres.PostgresDistributedLock(key, database.ConnectionString).AcquireAsync(cancellationToken: cancellationToken);
    }
}
