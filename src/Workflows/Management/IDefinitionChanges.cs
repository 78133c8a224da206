namespace Followup.Workflows.Management;

/// <summary>
/// Definitions changed on one host reach the others: the host that stores a change announces it, and every host
/// listening reloads what changed (<see cref="WorkflowDefinitionService.ReloadAsync"/>). One host alone (SQLite) has
/// nobody to tell.
/// </summary>
public interface IDefinitionChanges
{
    /// <summary>True when other hosts share the definitions (and so a start also checks the stored version now and then).</summary>
    bool Shared { get; }

    Task AnnounceAsync(IReadOnlyCollection<string> definitionIds, CancellationToken cancellationToken);

    /// <summary>Starts listening for other hosts' changes until <paramref name="stopping"/>.</summary>
    void Listen(CancellationToken stopping);
}

/// <summary>One host: its cache is the truth.</summary>
public sealed class LocalDefinitionChanges : IDefinitionChanges
{
    public bool Shared => false;

    public Task AnnounceAsync(IReadOnlyCollection<string> definitionIds, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Listen(CancellationToken stopping)
    {
    }
}
