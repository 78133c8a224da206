namespace Followup.Workflows.Scheduling;

/// <summary>Locks within this process (one host on a SQLite file).</summary>
public sealed class InProcessWorkflowLock : IWorkflowLock
{
    private const string NamePrefix = "\u0001";
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> _locks = new(StringComparer.Ordinal);

    public Task<IAsyncDisposable> AcquireNamedAsync(string name, CancellationToken cancellationToken) => AcquireAsync(NamePrefix + name, cancellationToken);

    public Task<IAsyncDisposable?> TryAcquireNamedAsync(string name, CancellationToken cancellationToken)
    {
        var key = NamePrefix + name;
        SemaphoreSlim gate;
        lock (_locks)
        {
            var entry = _locks.TryGetValue(key, out var found) ? found : (Gate: new SemaphoreSlim(1, 1), Users: 0);
            if (!entry.Gate.Wait(0))
                return Task.FromResult<IAsyncDisposable?>(null);
            _locks[key] = (entry.Gate, entry.Users + 1);
            gate = entry.Gate;
        }
        return Task.FromResult<IAsyncDisposable?>(new Releaser(() => Release(key, gate, entered: true)));
    }

    public async Task<IAsyncDisposable> AcquireAsync(string instanceId, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate;
        lock (_locks)
        {
            var entry = _locks.TryGetValue(instanceId, out var found) ? found : (Gate: new SemaphoreSlim(1, 1), Users: 0);
            _locks[instanceId] = (entry.Gate, entry.Users + 1);
            gate = entry.Gate;
        }
        try
        {
            await gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Release(instanceId, gate, entered: false);
            throw;
        }
        return new Releaser(() => Release(instanceId, gate, entered: true));
    }

    private void Release(string instanceId, SemaphoreSlim gate, bool entered)
    {
        if (entered)
            gate.Release();
        lock (_locks)
        {
            var entry = _locks[instanceId];
            if (entry.Users <= 1)
                _locks.Remove(instanceId);
            else
                _locks[instanceId] = (entry.Gate, entry.Users - 1);
        }
    }

    private sealed class Releaser(Action release) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            release();
            return ValueTask.CompletedTask;
        }
    }
}
