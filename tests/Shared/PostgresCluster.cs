using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Followup.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster of the Debian package on 127.0.0.1: initdb into a temp folder, started with the
/// given server settings, stopped and deleted when disposed.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _bin;

    private PostgresCluster(string folder, string bin, string connectionString)
    {
        _folder = folder;
        _bin = bin;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>The server's programs, or null when the package is not installed.</summary>
    public static string? Bin => Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
        : null;

    /// <summary>Starts a cluster with the given <c>-c</c> settings (as <c>postgres -c name=value</c>).</summary>
    public static async Task<PostgresCluster> StartAsync(string settings)
    {
        var bin = Bin ?? throw new InvalidOperationException("PostgreSQL is not installed (Debian package postgresql).");
        var folder = Path.Combine(Path.GetTempPath(), "followup-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(folder, "sock"));
        var port = FreePort();
        if (AsRoot)
            await RunAsync("chown", "-R", "postgres:postgres", folder);
        await RunAsPostgresAsync(Path.Combine(bin, "initdb"), "-D", Path.Combine(folder, "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
        await RunAsPostgresAsync(Path.Combine(bin, "pg_ctl"), "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "pg.log"), "-w", "-o",
            $"-c listen_addresses=127.0.0.1 -p {port} -k {Path.Combine(folder, "sock")} -c max_connections=300 {settings}", "start");
        return new PostgresCluster(folder, bin, $"Host=127.0.0.1;Port={port};Username=postgres;Pooling=true;Maximum Pool Size=60");
    }

    /// <summary>A fresh database on the server; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string server)
    {
        var name = "followup_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// The CPU time the server's processes have used: the postmaster and its children, those still running and
    /// those that have ended.
    /// </summary>
    public TimeSpan Cpu()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(_folder, "data", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        long ticks = 0;
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // Fields after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
                var ppid = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
                if (pid == postmaster)
                    ticks += fields.Skip(11).Take(4).Sum(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture));
                else if (ppid == postmaster)
                    ticks += fields.Skip(11).Take(2).Sum(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // The process ended meanwhile; its time is now its parent's.
            }
        }
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_folder, "data"), "-m", "fast", "stop");
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static bool AsRoot => Environment.UserName == "root";

    private static Task RunAsPostgresAsync(string program, params string[] args) =>
        AsRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. args]) : RunAsync(program, args);

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
