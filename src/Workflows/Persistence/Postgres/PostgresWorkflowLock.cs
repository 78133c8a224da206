using Followup.Workflows.Scheduling;
using Medallion.Threading.Postgres;

namespace Followup.Workflows.Persistence.Postgres;

/// <summary>Locks across hosts sharing one PostgreSQL database: session-level advisory locks, released with their connection (a host that dies lets go).</summary>
public sealed class PostgresWorkflowLock(Persistence.WorkflowDatabase database) : IWorkflowLock
{
    public async Task<IAsyncDisposable> AcquireAsync(string instanceId, CancellationToken cancellationToken) =>
        await Lock($"workflow-instance:{instanceId}").AcquireAsync(cancellationToken: cancellationToken);

    public async Task<IAsyncDisposable> AcquireNamedAsync(string name, CancellationToken cancellationToken) =>
        await Lock($"followup:{name}").AcquireAsync(cancellationToken: cancellationToken);

    public async Task<IAsyncDisposable?> TryAcquireNamedAsync(string name, CancellationToken cancellationToken) =>
        await Lock($"followup:{name}").TryAcquireAsync(TimeSpan.Zero, cancellationToken);

    private PostgresDistributedLock Lock(string key) => new(new PostgresAdvisoryLockKey(key, allowHashing: true), database.ConnectionString);
}
