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
/// server): N instances wait one day on a fake clock; the clock moves a day and the timer sweep moves every job to
/// the queue; measured is the time until every instance has been resumed and finished.
/// </summary>
internal static class TimerBenchmark
{
    private const string Workflow = """
        { "id": "wait-v1", "definitionId": "wait", "name": "wait", "version": 1,
          "root": { "id": "flow", "type": "Elsa.Flowchart", "activities": [
            { "id": "delay", "type": "Elsa.Delay", "timeSpan": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "1.00:00:00" } } },
            { "id": "after", "type": "Elsa.SetName", "value": { "typeName": "String", "expression": { "type": "Literal", "value": "resumed" } } } ],
            "connections": [ { "source": { "activity": "delay", "port": "Done" }, "target": { "activity": "after", "port": "In" } } ] } }
        """;

    public static async Task RunAsync(int n)
    {
        var folder = Directory.CreateTempSubdirectory("followup-timer-bench").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "workflows"));
        File.WriteAllText(Path.Combine(folder, "workflows", "wait.json"), Workflow);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var builder = WebApplication.CreateBuilder(
        [
            "--urls", "http://127.0.0.1:0",
            "--ConnectionStrings:Followup", $"Data Source={Path.Combine(folder, "followup.db")}",
            "--Hangfire:SqlitePath", Path.Combine(folder, "hangfire.db"),
            "--Engine:DefinitionsPath", Path.Combine(folder, "workflows"),
            "--Logging:LogLevel:Default", "Error",
        ]);
        builder.AddFollowup();
        builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        await using var app = builder.Build();
        await app.InitializeFollowupAsync();
        app.MapFollowup();

        var runtime = app.Services.GetRequiredService<IWorkflowRuntime>();
        var create = Stopwatch.StartNew();
        await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, ct) =>
            await runtime.StartAsync(new StartWorkflowRequest { DefinitionId = "wait" }, ct));
        create.Stop();
        await app.StartAsync();

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var store = app.Services.GetRequiredService<WorkflowStore>();
        var resume = Stopwatch.StartNew();
        // The sweep runs as a job of its own, beside the workers and the drain it sets off.
        var sweep = Task.Run(async () =>
        {
            var sweeping = Stopwatch.StartNew();
            await app.Services.GetRequiredService<TimerSweep>().RunAsync(CancellationToken.None);
            return sweeping.Elapsed;
        });
        int finished;
        while ((finished = (await store.QueryInstancesAsync(new InstanceQuery { DefinitionId = "wait", SubStatus = "Finished", PageSize = 1 }, CancellationToken.None)).Total) < n)
            await Task.Delay(250);
        resume.Stop();
        var swept = await sweep;
        Console.WriteLine($"timers N={n}: {finished}/{n} resumed in {resume.Elapsed.TotalSeconds:F1} s after falling due " +
            $"({n / resume.Elapsed.TotalSeconds:F0} resumes/s; the sweep, with the drain and the jobs moved to the queue after it, took {swept.TotalSeconds:F1} s); " +
            $"creating the instances took {create.Elapsed.TotalSeconds:F1} s; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MiB");
        await app.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
