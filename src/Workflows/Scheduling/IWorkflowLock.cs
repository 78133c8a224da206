namespace Followup.Workflows.Scheduling;

/// <summary>Serializes the bursts of one instance: <c>workflow-instance:{id}</c>.</summary>
public interface IWorkflowLock
{
    Task<IAsyncDisposable> AcquireAsync(string instanceId, CancellationToken cancellationToken);
}
