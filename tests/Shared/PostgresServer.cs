using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Followup.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster on 127.0.0.1 for the scale-out tests: initdb into a temp folder, no fsync, stopped
/// and deleted afterwards. <c>FOLLOWUP_PG</c> (a connection string) uses an existing server instead.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _folder;
    private string? _bin;

    public string? ConnectionString { get; private set; }
    public string? Unavailable { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("FOLLOWUP_PG") is { Length: > 0 } existing)
        {
            ConnectionString = existing;
            return;
        }
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;
        if (_bin is null)
        {
            Unavailable = "PostgreSQL is not installed (Debian package postgresql); set FOLLOWUP_PG to use a running server.";
            return;
        }
        _folder = Path.Combine(Path.GetTempPath(), "followup-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(_folder, "sock"));
        var port = FreePort();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
            await RunAsync("chown", "-R", "postgres:postgres", _folder);
        await RunAsPostgresAsync(asRoot, Path.Combine(_bin, "initdb"), "-D", Path.Combine(_folder, "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
        await RunAsPostgresAsync(asRoot, Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_folder, "data"), "-l", Path.Combine(_folder, "pg.log"), "-w", "-o",
            $"-c listen_addresses=127.0.0.1 -p {port} -k {Path.Combine(_folder, "sock")} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", "start");
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Pooling=true;Maximum Pool Size=60";
    }

    /// <summary>A fresh database on the server; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        if (ConnectionString is null)
            Assert.Skip(Unavailable ?? "No PostgreSQL server.");
        var name = "followup_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is null || _bin is null)
            return;
        try
        {
            await RunAsPostgresAsync(Environment.UserName == "root", Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_folder, "data"), "-m", "fast", "stop");
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static Task RunAsPostgresAsync(bool asRoot, string program, params string[] args) =>
        asRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. args]) : RunAsync(program, args);

    private static async Task RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await stdout}{await stderr}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
