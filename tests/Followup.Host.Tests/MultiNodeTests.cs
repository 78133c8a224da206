using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Followup.Testing;
using Npgsql;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

/// <summary>Two host processes sharing one PostgreSQL database (engine tables, Hangfire storage, advisory locks).</summary>
public sealed class MultiNodeTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>, IDisposable
{
    private const int Count = 1000;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "followup-multinode-tests", Guid.NewGuid().ToString("N"));

    internal static readonly string DueTogether = Workflow("due-together",
        [Activity("start", "Elsa.Start"), Activity("at", "Elsa.StartAt", Input("dateTime", "DateTimeOffset", "At", "Input")),
         WriteLine("after", "Resumed"), Activity("end", "Elsa.End")],
        [Connection("start", "at"), Connection("at", "after"), Connection("after", "end")],
        extra: """ "inputs": [ { "type": "DateTimeOffset", "name": "At" } ], """);

    [Fact]
    public async Task Two_hosts_resume_a_thousand_timers_due_together_each_exactly_once()
    {
        var database = await postgres.CreateDatabaseAsync();
        Directory.CreateDirectory(Path.Combine(_folder, "workflows"));
        File.WriteAllText(Path.Combine(_folder, "workflows", "due.json"), DueTogether);
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["Hangfire__Storage"] = "Postgres",
            ["ConnectionStrings__Followup"] = database,
            ["Hangfire__InvisibilityTimeout"] = "00:00:30",
            ["Engine__DefinitionsPath"] = Path.Combine(_folder, "workflows"),
        };
        await using var first = new HostProcess(_folder, environment);
        await using var second = new HostProcess(_folder, environment);
        await first.StartAsync();
        await second.StartAsync();

        var clock = Stopwatch.StartNew();
        var at = DateTimeOffset.UtcNow.AddSeconds(40);
        var hosts = new[] { first, second };
        await Parallel.ForAsync(0, Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await Poll.StartAsync(hosts[i % 2].Api, "due-together", new { At = at }));
        output.WriteLine($"{Count} instances started in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(Count, await CountAsync(first, "Suspended"));
        Assert.True(DateTimeOffset.UtcNow < at, "all timers were still pending when the last instance was started");

        await Poll.UntilAsync(() => CountAsync(second, "Finished"), n => n == Count, TimeSpan.FromSeconds(180), "every instance to finish");
        output.WriteLine($"all resumed {(DateTimeOffset.UtcNow - at).TotalSeconds:F1} s after they fell due");

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var completions = await CompletionsPerInstanceAsync(connection);
        Assert.Equal(Count, completions.Count);
        Assert.All(completions, c => Assert.Equal(1L, c));
        var servers = await ScalarListAsync(connection, """
            SELECT count(DISTINCT s.data::jsonb->>'ServerId') FROM hangfire.state s JOIN hangfire.job j ON j.id = s.jobid
            WHERE s.name = 'Processing' AND j.invocationdata::text LIKE '%ResumeAsync%'
            """);
        Assert.True(servers.Single() >= 2, "both hosts resumed timers");
        Assert.DoesNotContain("already consumed", first.Output + second.Output, StringComparison.Ordinal); // each timer claimed once
    }

    /// <summary>For each instance of due-together, how often its step after the timer completed (the journal's word).</summary>
    internal static Task<List<long>> CompletionsPerInstanceAsync(NpgsqlConnection connection) => ScalarListAsync(connection, """
        SELECT count(*) FROM "JournalBursts" b, json_array_elements(b."Entries"::json->'e') e
        WHERE e->>'n' LIKE '%:after' AND e->>'e' = 'Completed' GROUP BY b."InstanceId"
        """);

    internal static async Task<int> CountAsync(HostProcess host, string subStatus) =>
        (await host.Api.GetFromJsonAsync<JsonElement>($"/elsa/api/workflow-instances?definitionId=due-together&subStatus={subStatus}&pageSize=1"))
            .GetProperty("totalCount").GetInt32();

    private static async Task<List<long>> ScalarListAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<long>();
        while (await reader.ReadAsync())
            values.Add(reader.GetInt64(0));
        return values;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
