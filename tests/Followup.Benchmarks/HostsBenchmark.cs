using System.Diagnostics;
using System.Net.Http.Json;
using Followup.Testing;
using Npgsql;

namespace Followup.Benchmarks;

/// <summary>
/// 1, 2 and 3 host processes on one PostgreSQL (the Debian package, started here with fsync on and asynchronous
/// commit, as SQLite's WAL commits without a sync): service visits driven over HTTP through all of them, and timers
/// falling due while they run. With two or more hosts, one is killed with -9 half-way: its callers move to the
/// next host (as a load balancer would send them) and every visit must still reach delivery, every timer fire once.
/// </summary>
internal static class HostsBenchmark
{

    private const string DueTogether = """
        { "id": "due-together-v1", "definitionId": "due-together", "name": "due-together", "version": 1, "isPublished": true,
          "inputs": [ { "type": "DateTimeOffset", "name": "At" } ],
          "root": { "id": "flow", "type": "Elsa.Flowchart", "activities": [
            { "id": "start", "type": "Elsa.Start" },
            { "id": "at", "type": "Elsa.StartAt", "dateTime": { "typeName": "DateTimeOffset", "expression": { "type": "Input", "value": "At" } } },
            { "id": "after", "type": "Elsa.WriteLine", "text": { "typeName": "String", "expression": { "type": "Literal", "value": "Resumed" } } },
            { "id": "end", "type": "Elsa.End" } ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "at", "port": "In" } },
              { "source": { "activity": "at", "port": "Done" }, "target": { "activity": "after", "port": "In" } },
              { "source": { "activity": "after", "port": "Done" }, "target": { "activity": "end", "port": "In" } } ] } }
        """;

    public static async Task RunAsync(int[] hostCounts, int visits, int timers, int callers)
    {
        // pg_stat_statements: where the database's time goes, printed after each run.
        await using var postgres = await PostgresCluster.StartAsync("-c synchronous_commit=off -c shared_buffers=256MB -c shared_preload_libraries=pg_stat_statements");
        foreach (var hosts in hostCounts)
            await RunAsync(postgres, hosts, visits, timers, callers);
    }

    private static async Task RunAsync(PostgresCluster postgres, int count, int visits, int timers, int callers)
    {
        var database = await PostgresCluster.CreateDatabaseAsync(postgres.ConnectionString);
        var root = Directory.CreateTempSubdirectory("followup-hosts-bench").FullName;
        var workflows = Path.Combine(root, "workflows");
        Directory.CreateDirectory(workflows);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "workflows-json"), "*.json"))
            File.Copy(file, Path.Combine(workflows, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(workflows, "due-together.json"), DueTogether);
        // The host's settings as environment variables (Section__Key).
        var settings = BenchHost.StoreSettings(root).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        settings["ASPNETCORE_ENVIRONMENT"] = "Production";
        settings["Database__Provider"] = "Postgres";
        settings["Hangfire__Storage"] = "Postgres";
        settings["ConnectionStrings__Followup"] = database;
        settings["Engine__DefinitionsPath"] = workflows;
        settings["Logging__LogLevel__Default"] = "Warning";
        settings["Logging__LogLevel__Followup"] = "Warning";
        // For the users added with the host's own command, as an operator would.
        settings["FOLLOWUP_PASSWORD"] = BenchHost.Password;
        var hosts = Enumerable.Range(0, count).Select(i => Path.Combine(root, $"host{i}"))
            .Select(home => new HostProcess(Directory.CreateDirectory(home).FullName, new Dictionary<string, string>(settings) { ["HOME"] = home })).ToList();
        try
        {
            await Task.WhenAll(hosts.Select(h => h.StartAsync()));
            await Parallel.ForAsync(0, callers, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (k, _) =>
            {
                foreach (var (user, role) in new[] { ($"advisor{k}", "Advisor"), ($"tech{k}", "Technician"), ($"inspector{k}", "Technician"), ($"agent{k}", "CallbackAgent") })
                {
                    var (exitCode, output, error) = await hosts[0].RunCommandAsync(null, "users", "add", user, "--role", role);
                    if (exitCode != 0)
                        throw new InvalidOperationException($"users add {user}: {output}{error}");
                }
            });
            await using var data = NpgsqlDataSource.Create(database);
            var timer = new RequestTimer { Recording = false };
            var bench = new VisitBenchmark(timer, callers, k => hosts[k % count].Address, number => EstimateTextAsync(data, number), (number, step) => CompletedAsync(data, number, step));
            await bench.SignInAsync();
            // Untimed visits first, through every host, so that each has compiled its hot code.
            await bench.VisitsAsync(await bench.CustomersAsync(callers * 10, first: 1));
            var vehicles = await bench.CustomersAsync(visits, first: callers * 10 + 1);
            timer.Recording = true;

            // The timers fall due a few seconds into the visits.
            var at = DateTimeOffset.UtcNow.AddSeconds(15 + timers / 100);
            await Parallel.ForAsync(0, timers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
                (await hosts[i % count].Api.PostAsJsonAsync("/elsa/api/workflow-definitions/due-together/execute", new { input = new { At = at } })).EnsureSuccessStatusCode());

            var size = await ScalarAsync(data, "SELECT pg_database_size(current_database())");
            var cpu = hosts.Select(h => h.Cpu()).ToArray();
            var dbCpu = postgres.Cpu();
            await ExecuteAsync(data, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()");
            var driverCpu = Stats.Cpu();
            var killedAt = -1;
            var clock = Stopwatch.StartNew();
            await bench.VisitsAsync(vehicles, async done =>
            {
                if (count > 1 && done == visits / 2 && Interlocked.CompareExchange(ref killedAt, done, -1) == -1)
                {
                    cpu[0] = hosts[0].Cpu() - cpu[0];
                    await hosts[0].KillAsync();
                }
            });
            clock.Stop();
            var hostCpu = hosts.Select((h, i) => i == 0 && killedAt >= 0 ? cpu[0] : h.Cpu() - cpu[i]).ToArray();
            dbCpu = postgres.Cpu() - dbCpu;
            driverCpu = Stats.Cpu() - driverCpu;

            // Every timer fired exactly once, on whichever host claimed it.
            var wait = Stopwatch.StartNew();
            long finished;
            while ((finished = await ScalarAsync(data, """SELECT count(*) FROM "WorkflowInstances" WHERE "DefinitionId" = 'due-together' AND "SubStatus" = 'Finished'""")) < timers
                && wait.Elapsed < TimeSpan.FromMinutes(3))
                await Task.Delay(500);
            var twice = await ScalarAsync(data, """
                SELECT count(*) FROM (SELECT b."InstanceId" FROM "JournalBursts" b, json_array_elements(b."Entries"::json->'e') e
                WHERE e->>'n' LIKE '%:after' AND e->>'e' = 'Completed' GROUP BY b."InstanceId" HAVING count(*) > 1) t
                """);
            var delivered = await ScalarAsync(data, """SELECT count(*) FROM "Visits" WHERE "Status" = 'Delivered'""");
            size = await ScalarAsync(data, "SELECT pg_database_size(current_database())") - size;
            var all = timer.All();
            Console.WriteLine($"hosts={count} on PostgreSQL, {visits} visits by {callers} callers{(killedAt >= 0 ? $", host 1 killed with -9 after visit {killedAt} ({bench.Moves} callers moved)" : "")}:");
            Console.WriteLine($"  {visits / clock.Elapsed.TotalSeconds:F1} visits/s opened to delivered ({visits / clock.Elapsed.TotalSeconds / count:F1} per host), {all.Length / clock.Elapsed.TotalSeconds:F0} requests/s, " +
                $"p50 {Stats.Percentile(all, 50):F1} ms, p99 {Stats.Percentile(all, 99):F1} ms");
            Console.WriteLine($"  CPU per visit: hosts {hostCpu.Sum(c => c.TotalMilliseconds) / visits:F1} ms ({string.Join(" + ", hostCpu.Select(c => $"{c.TotalMilliseconds / visits:F1}"))}), " +
                $"PostgreSQL {dbCpu.TotalMilliseconds / visits:F1} ms, callers {driverCpu.TotalMilliseconds / visits:F1} ms");
            Console.WriteLine($"  visits delivered {delivered - callers * 10}/{visits}; timers finished {finished}/{timers}, fired more than once {twice}; " +
                $"the database grew {size / 1024.0 / visits:F0} KiB per visit (the timers' instances included)");
            await PrintStatementsAsync(data, visits);
        }
        finally
        {
            foreach (var host in hosts)
                await host.KillAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<string?> EstimateTextAsync(NpgsqlDataSource data, string number)
    {
        await using var command = data.CreateCommand("""SELECT string_agg("Payload", E'\n') FROM "Outbox" WHERE "CorrelationId" = $1""");
        command.Parameters.AddWithValue(number);
        return await command.ExecuteScalarAsync() as string is { } payloads ? System.Text.RegularExpressions.Regex.Unescape(payloads) : null;
    }

    private static async Task<bool> CompletedAsync(NpgsqlDataSource data, string number, string activityId)
    {
        await using var command = data.CreateCommand("""SELECT count(*) FROM "HumanTasks" WHERE "CorrelationId" = $1 AND "ActivityId" = $2 AND "Status" = 'Completed'""");
        command.Parameters.AddWithValue(number);
        command.Parameters.AddWithValue(activityId);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    /// <summary>What the database spent on statements since the timed visits began, and the statements that took most of it, per visit.</summary>
    private static async Task PrintStatementsAsync(NpgsqlDataSource data, int visits)
    {
        const string Ours = "FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database()";
        await using (var all = data.CreateCommand($"SELECT sum(s.total_exec_time), sum(s.calls) {Ours}"))
        await using (var reader = await all.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            Console.WriteLine($"  all statements: {reader.GetDouble(0) / visits:F1} ms in {reader.GetDecimal(1) / visits:F0} calls per visit; the most time (ms per visit, calls per visit, rows per call):");
        }
        await using var top = data.CreateCommand($"SELECT s.total_exec_time, s.calls, s.rows, regexp_replace(s.query, '\\s+', ' ', 'g') {Ours} ORDER BY s.total_exec_time DESC LIMIT 12");
        await using var rows = await top.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            var calls = rows.GetInt64(1);
            var text = rows.GetString(3);
            Console.WriteLine($"    {rows.GetDouble(0) / visits,7:F2} {calls / (double)visits,7:F2} {rows.GetInt64(2) / (double)Math.Max(1, calls),7:F1}  {(text.Length > 160 ? text[..160] + "…" : text)}");
        }
    }

    private static async Task ExecuteAsync(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
