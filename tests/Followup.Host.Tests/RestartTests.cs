using System.Text.Json;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

/// <summary>The real host process on SQLite files (engine and Hangfire): stopped, killed and started again.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "followup-restart-tests", Guid.NewGuid().ToString("N"));

    private static string Wait(string id, string timeSpan) => Workflow(id,
        [Activity("start", "Elsa.Start"), Delay("wait", timeSpan), WriteLine("after", "Waited"), Activity("end", "Elsa.End")],
        [Connection("start", "wait"), Connection("wait", "after"), Connection("after", "end")]);

    /// <summary>After its timer the workflow computes for about two seconds, so a kill can land in the middle of a resume.</summary>
    private static readonly string SlowStep = Workflow("slow-step",
        [Activity("start", "Elsa.Start"), Delay("wait", "00:00:01"),
         Activity("work", "Elsa.RunJavaScript", Input("script", "String", "var t = Date.now(); while (Date.now() - t < 2500) { } ")),
         WriteLine("after", "Worked"), Activity("end", "Elsa.End")],
        [Connection("start", "wait"), Connection("wait", "work"), Connection("work", "after"), Connection("after", "end")]);

    public RestartTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "workflows"));
        File.WriteAllText(Path.Combine(_folder, "workflows", "short.json"), Wait("short-wait", "00:00:05"));
        File.WriteAllText(Path.Combine(_folder, "workflows", "long.json"), Wait("long-wait", "00:00:12"));
        File.WriteAllText(Path.Combine(_folder, "workflows", "slow.json"), SlowStep);
    }

    private HostProcess NewHost() => new(_folder, new Dictionary<string, string>
    {
        ["ConnectionStrings__Followup"] = $"Data Source={Path.Combine(_folder, "followup.db")}",
        ["Hangfire__Storage"] = "Sqlite",
        ["Hangfire__SqlitePath"] = Path.Combine(_folder, "hangfire.db"),
        ["Hangfire__InvisibilityTimeout"] = "00:00:05",
        ["Engine__DefinitionsPath"] = Path.Combine(_folder, "workflows"),
        ["Engine__ScriptTimeout"] = "00:00:30",
        ["Engine__ScriptMaxStatements"] = "2000000000",
        ["Engine__ScriptMemoryLimitBytes"] = "4000000000",
    });

    [Fact]
    public async Task Timers_pending_when_the_host_stops_fire_after_it_starts_again()
    {
        await using var host = NewHost();
        await host.StartAsync();
        var fallsDueWhileDown = await Poll.StartAsync(host.Api, "short-wait");
        var dueAfterRestart = await Poll.StartAsync(host.Api, "long-wait");
        var startedAt = DateTimeOffset.UtcNow;
        await host.StopAsync();
        Assert.Equal("Suspended", await SubStatusInFileAsync(fallsDueWhileDown));
        Assert.Equal("Suspended", await SubStatusInFileAsync(dueAfterRestart));
        await ScheduleIsSearchedByIndexAsync(expectedEntries: 2);

        // The host stays down until the short timer is past due: a real process on the real clock, so the downtime is
        // real time too.
        var downUntil = startedAt + TimeSpan.FromSeconds(6);
        if (downUntil > DateTimeOffset.UtcNow)
            await Task.Delay(downUntil - DateTimeOffset.UtcNow);
        await host.StartAsync();
        foreach (var id in new[] { fallsDueWhileDown, dueAfterRestart })
        {
            await Poll.UntilAsync(() => Poll.SubStatusAsync(host.Api, id), s => s == "Finished", TimeSpan.FromSeconds(60), $"instance {id}");
            Assert.Single(await Poll.JournalAsync(host.Api, id), j => Is(j, "after", "Completed"));
        }
        var finished = (await Poll.InstanceAsync(host.Api, dueAfterRestart)).GetProperty("finishedAt").GetDateTimeOffset();
        Assert.True(finished >= startedAt.AddSeconds(11), "the 12-second timer did not fire early");
    }

    [Fact]
    public async Task A_killed_host_loses_nothing_and_runs_each_step_once_after_restart()
    {
        await using var host = NewHost();
        await host.StartAsync();
        var pending = new List<string>();
        for (var i = 0; i < 10; i++)
            pending.Add(await Poll.StartAsync(host.Api, "long-wait"));
        var slow = new List<string>();
        for (var i = 0; i < 3; i++)
            slow.Add(await Poll.StartAsync(host.Api, "slow-step"));

        // Kill while a resume runs: its timer fired and its script is computing, nothing committed yet.
        await Poll.UntilAsync(() => Task.FromResult(host.Output), o => slow.Any(id => o.Contains($"Workflow {id} resumed", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "a slow resume to begin");
        await host.KillAsync();
        var killedWhileRunning = slow.Where(id => host.Output.Contains($"Workflow {id} resumed", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(killedWhileRunning);
        foreach (var id in killedWhileRunning)
            Assert.Equal("Suspended", await SubStatusInFileAsync(id));

        await host.StartAsync();
        foreach (var id in pending.Concat(slow))
        {
            var status = await Poll.UntilAsync(() => Poll.SubStatusAsync(host.Api, id), s => s is "Finished" or "Faulted", TimeSpan.FromSeconds(90), $"instance {id}");
            Assert.True(status == "Finished", await Poll.IncidentsAsync(host.Api, id));
            var journal = await Poll.JournalAsync(host.Api, id);
            Assert.Single(journal, j => Is(j, "after", "Completed"));
            Assert.Single(journal, j => Is(j, "wait", "Completed"));
        }
    }

    private static bool Is(JsonElement entry, string activityId, string eventName) =>
        entry.GetProperty("activityId").GetString() == activityId && entry.GetProperty("eventName").GetString() == eventName;

    /// <summary>
    /// Each timer's job is an entry of the job store's set "schedule". Setting a timer looks its entry up by key and value,
    /// and the scheduler takes the next one due by key and score; both go through an index of their own rather than
    /// reading every entry of the schedule (100,000 with a store's months of reminders waiting).
    /// </summary>
    private async Task ScheduleIsSearchedByIndexAsync(int expectedEntries)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_folder, "hangfire.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        async Task<string> PlanAsync(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + sql;
            command.Parameters.AddWithValue("$key", "schedule");
            command.Parameters.AddWithValue("$value", "1");
            command.Parameters.AddWithValue("$from", 0);
            command.Parameters.AddWithValue("$to", 1e12);
            await using var reader = await command.ExecuteReaderAsync();
            var plan = "";
            while (await reader.ReadAsync())
                plan += reader.GetString(3) + "\n";
            return plan;
        }
        await using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT count(*) FROM \"Set\" WHERE \"Key\" = 'schedule'";
            Assert.Equal(expectedEntries, Convert.ToInt32(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Contains("USING INDEX IX_Set_Key_Value (Key=? AND Value=?)",
            await PlanAsync("SELECT * FROM \"Set\" WHERE ((\"Key\" = $key) AND (\"Value\" = $value)) LIMIT 1"), StringComparison.Ordinal);
        Assert.Contains("USING INDEX IX_Set_Key_Score (Key=? AND Score>? AND Score<?)",
            await PlanAsync("SELECT * FROM \"Set\" WHERE (((\"Key\" = $key) AND (\"Score\" >= $from)) AND (\"Score\" <= $to)) ORDER BY \"Score\" LIMIT 1"), StringComparison.Ordinal);
    }

    /// <summary>Reads the status straight from the SQLite file while the host is down.</summary>
    private async Task<string> SubStatusInFileAsync(string instanceId)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_folder, "followup.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT SubStatus FROM WorkflowInstances WHERE Id = $id";
        command.Parameters.AddWithValue("$id", instanceId);
        return (string)(await command.ExecuteScalarAsync())!;
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
