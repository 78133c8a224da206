using System.Diagnostics;
using Followup.Host.Hosting;
using Followup.Host.Scheduling;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Followup.Benchmarks;

/// <summary>
/// N timers falling due at once on the default stack (engine on SQLite, Hangfire.Storage.SQLite, the host's Hangfire
/// server), measured two ways: until every instance has been resumed and has finished.
/// <list type="bullet">
/// <item>On time: N instances wait until one moment on the system clock; Hangfire's scheduler enqueues their jobs when
/// it comes, and the first job to run wakes the drain.</item>
/// <item>Overdue: N instances wait a day on a fake clock that then moves a day ahead, as after a host was down; the
/// timer sweep finds them overdue.</item>
/// </list>
/// </summary>
internal static class TimerBenchmark
{
    private static string Workflow(string wait) => $$"""
        { "id": "wait-v1", "definitionId": "wait", "name": "wait", "version": 1,
          "root": { "id": "flow", "type": "Elsa.Flowchart", "activities": [
            {{wait}},
            { "id": "after", "type": "Elsa.SetName", "value": { "typeName": "String", "expression": { "type": "Literal", "value": "resumed" } } } ],
            "connections": [ { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "after", "port": "In" } } ] } }
        """;

    public static async Task RunAsync(int n)
    {
        // Far enough ahead that every instance is created and waiting before the moment comes.
        var due = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30) + TimeSpan.FromMilliseconds(5 * n);
        await MeasureAsync(n, "on time", TimeProvider.System,
            $$"""{ "id": "wait", "type": "Elsa.StartAt", "dateTime": { "typeName": "DateTimeOffset", "expression": { "type": "Literal", "value": "{{due:O}}" } } }""",
            fallDue: async _ => await Task.Delay(due - DateTimeOffset.UtcNow));

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await MeasureAsync(n, "overdue", clock,
            """{ "id": "wait", "type": "Elsa.Delay", "timeSpan": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "1.00:00:00" } } }""",
            fallDue: app =>
            {
                clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
                // The sweep runs as a job of its own, beside the workers and the drain it sets off.
                _ = Task.Run(() => app.Services.GetRequiredService<TimerSweep>().RunAsync(CancellationToken.None));
                return Task.CompletedTask;
            });
    }

    private static async Task MeasureAsync(int n, string how, TimeProvider clock, string wait, Func<WebApplication, Task> fallDue)
    {
        var folder = Directory.CreateTempSubdirectory("followup-timer-bench").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "workflows"));
        File.WriteAllText(Path.Combine(folder, "workflows", "wait.json"), Workflow(wait));
        var builder = Followup.Host.Hosting.FollowupHosting.CreateBuilder(
        [
            "--urls", "http://127.0.0.1:0",
            "--ConnectionStrings:Followup", $"Data Source={Path.Combine(folder, "followup.db")}",
            "--Hangfire:SqlitePath", Path.Combine(folder, "hangfire.db"),
            "--Engine:DefinitionsPath", Path.Combine(folder, "workflows"),
            "--Logging:LogLevel:Default", "Error",
        ]);
        builder.AddFollowup();
        builder.Services.Replace(ServiceDescriptor.Singleton(clock));
        await using var app = builder.Build();
        await app.InitializeFollowupAsync();
        app.MapFollowup();

        var runtime = app.Services.GetRequiredService<IWorkflowRuntime>();
        var create = Stopwatch.StartNew();
        await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, ct) =>
            await runtime.StartAsync(new StartWorkflowRequest { DefinitionId = "wait" }, ct));
        create.Stop();
        await app.StartAsync();
        var store = app.Services.GetRequiredService<WorkflowQueries>();
        async Task<int> FinishedAsync() => (await store.QueryInstancesAsync(new InstanceQuery { DefinitionId = "wait", SubStatus = "Finished", PageSize = 1 }, CancellationToken.None)).Total;
        var early = await FinishedAsync();

        await fallDue(app);
        var resume = Stopwatch.StartNew();
        int finished;
        while ((finished = await FinishedAsync()) < n)
            await Task.Delay(100);
        resume.Stop();
        Console.WriteLine($"timers N={n}, {how}: {finished}/{n} resumed in {resume.Elapsed.TotalSeconds:F1} s after falling due " +
            $"({n / resume.Elapsed.TotalSeconds:F0} resumes/s{(early > 0 ? $"; {early} were due before all were created" : "")}); " +
            $"creating the instances took {create.Elapsed.TotalSeconds:F1} s; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MiB");
        await app.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
