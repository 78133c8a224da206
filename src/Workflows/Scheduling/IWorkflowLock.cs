namespace Followup.Workflows.Scheduling;

/// <summary>
/// Serializes the bursts of one instance (<c>workflow-instance:{id}</c>), and anything else hosts must do one at a
/// time, by name (<see cref="AcquireNamedAsync"/>): within this process on SQLite, across hosts on PostgreSQL.
/// </summary>
public interface IWorkflowLock
{
    Task<IAsyncDisposable> AcquireAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Waits for the lock called <paramref name="name"/> (never an instance's).</summary>
    Task<IAsyncDisposable> AcquireNamedAsync(string name, CancellationToken cancellationToken);

    /// <summary>The lock called <paramref name="name"/> if nobody holds it now, else null at once.</summary>
    Task<IAsyncDisposable?> TryAcquireNamedAsync(string name, CancellationToken cancellationToken);
}
