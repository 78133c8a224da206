namespace Followup.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster for the scale-out tests (<see cref="PostgresCluster"/>, no fsync).
/// <c>FOLLOWUP_PG</c> (a connection string) uses an existing server instead.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private PostgresCluster? _cluster;

    public string? ConnectionString { get; private set; }
    public string? Unavailable { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("FOLLOWUP_PG") is { Length: > 0 } existing)
        {
            ConnectionString = existing;
            return;
        }
        if (PostgresCluster.Bin is null)
        {
            Unavailable = "PostgreSQL is not installed (Debian package postgresql); set FOLLOWUP_PG to use a running server.";
            return;
        }
        _cluster = await PostgresCluster.StartAsync("-c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        ConnectionString = _cluster.ConnectionString;
    }

    /// <summary>A fresh database on the server; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        if (ConnectionString is null)
            Assert.Skip(Unavailable ?? "No PostgreSQL server.");
        return await PostgresCluster.CreateDatabaseAsync(ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster != null)
            await _cluster.DisposeAsync();
    }
}
