using System.Collections.Concurrent;
using System.Diagnostics;
using Followup.Workflows;
using Followup.Workflows.Activities.Primitives;
using Followup.Workflows.Management;
using Followup.Workflows.Runtime;
using Followup.Workflows.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

// N instances of a 12-step Elsa-JSON workflow on a SQLite file, all events driven:
// 4 code steps, wait "EstimateApproved", 3 steps, wait "AdditionalWorkAuthorized", wait "TaskCompleted", a delay, a final step.
// "designer [runs] [host dll|-] [Mbit/s]" measures the designer's cold and warm load in headless Chromium.
// "timers N…" instead measures N timers falling due at once on the host's Hangfire and SQLite stack.
if (args.FirstOrDefault() == "designer")
{
    await Followup.Benchmarks.DesignerLoadBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 3, args.Length > 2 && args[2] != "-" ? args[2] : null, args.Length > 3 ? int.Parse(args[3]) : 20);
    return;
}
if (args.FirstOrDefault() == "visits")
{
    await Followup.Benchmarks.VisitBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 1_000, args.Length > 2 ? int.Parse(args[2]) : 16);
    return;
}
if (args.FirstOrDefault() == "waiting")
{
    await Followup.Benchmarks.WaitingBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 100_000, args.Length > 2 ? int.Parse(args[2]) : 10_000, args.Length > 3 ? int.Parse(args[3]) : 50_000,
        seedOnly: args.Length > 4 && args[4] == "seed-only");
    return;
}
if (args.FirstOrDefault() == "dashboard")
{
    await Followup.Benchmarks.WaitingBenchmark.DashboardAsync(args.Length > 1 ? int.Parse(args[1]) : 50_000, args.Length > 2 ? args[2] : null);
    return;
}
if (args.FirstOrDefault() == "waiting-measure")
{
    await Followup.Benchmarks.WaitingBenchmark.MeasureAsync(args[1], int.Parse(args[2]));
    return;
}
if (args.FirstOrDefault() == "hosts")
{
    await Followup.Benchmarks.HostsBenchmark.RunAsync(args.Length > 1 ? args[1].Split(',').Select(int.Parse).ToArray() : [1, 2, 3],
        args.Length > 2 ? int.Parse(args[2]) : 400, args.Length > 3 ? int.Parse(args[3]) : 1_000, args.Length > 4 ? int.Parse(args[4]) : 8);
    return;
}
if (args.FirstOrDefault() == "timers")
{
    foreach (var n in args.Skip(1).Select(int.Parse).DefaultIfEmpty(10_000))
        await Followup.Benchmarks.TimerBenchmark.RunAsync(n);
    return;
}
var sizes = args.Length > 0 ? args.Select(int.Parse).ToArray() : [1_000, 10_000];
// A server that has been up for a while has its hot code compiled at the JIT's top tier; the JIT takes several seconds
// of a fresh process to get there. A first, unreported run lets it, and each size then warms its own file and services.
await RunAsync(3_000, report: false);
foreach (var n in sizes)
    await RunAsync(n);

static async Task RunAsync(int n, bool report = true)
{
    const int Callers = 16;
    const int WarmUp = 2_000;
    var folder = Directory.CreateTempSubdirectory("followup-bench").FullName;
    var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
    var timers = new QueueTimerScheduler();
    var services = new ServiceCollection()
        .AddLogging(b => b.SetMinimumLevel(LogLevel.Error))
        .AddSingleton<TimeProvider>(clock)
        .AddSingleton<IConsoleOutput, NullOutput>()
        .AddSingleton<ITimerScheduler>(timers)
        .AddFollowupWorkflows($"Data Source={Path.Combine(folder, "bench.db")}")
        .BuildServiceProvider();
    await services.InitializeWorkflowsAsync(CancellationToken.None);
    await services.GetRequiredService<WorkflowDefinitionService>().ImportAsync(WorkflowJson.TwelveSteps, ImportMode.NewVersion, publish: true, CancellationToken.None);
    var runtime = services.GetRequiredService<IWorkflowRuntime>();
    // Callers in flight at once, as concurrent requests and jobs are on a server: bursts that meet commit together.
    var parallel = new ParallelOptions { MaxDegreeOfParallelism = Callers };

    // Untimed workflows on the same file and services first: what the JIT compiles for these services (their
    // resolvers, compiled queries) is compiled before the N timed ones start.
    await DriveAsync(Enumerable.Range(0, WarmUp).Select(i => $"warm-up-{i}").ToArray(), new ConcurrentBag<double>());
    var latencies = new ConcurrentBag<double>();
    var ids = Enumerable.Range(0, n).Select(i => $"visit-{i}").ToArray();
    var allocated = GC.GetTotalAllocatedBytes();
    var paused = GC.GetTotalPauseDuration();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var total = Stopwatch.StartNew();
    await DriveAsync(ids, latencies);
    total.Stop();
    cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

    async Task DriveAsync(string[] ids, ConcurrentBag<double> latencies)
    {
        await Parallel.ForEachAsync(ids, parallel, async (id, ct) =>
            await runtime.StartAsync(new StartWorkflowRequest { DefinitionId = "twelve-steps", CorrelationId = id }, ct));
        foreach (var evt in new[] { "EstimateApproved", "AdditionalWorkAuthorized", "TaskCompleted" })
        {
            await Parallel.ForEachAsync(ids, parallel, async (id, ct) =>
            {
                var sw = Stopwatch.StartNew();
                await runtime.PublishEventAsync(evt, null, id, null, ct);
                latencies.Add(sw.Elapsed.TotalMilliseconds);
            });
        }
        clock.Advance(TimeSpan.FromDays(1));
        await Parallel.ForEachAsync(timers.Drain(), parallel, async (t, ct) =>
        {
            var sw = Stopwatch.StartNew();
            await runtime.ResumeAsync(t.InstanceId, t.BookmarkId, null, ct);
            latencies.Add(sw.Elapsed.TotalMilliseconds);
        });
    }

    var finished = (await services.GetRequiredService<Followup.Workflows.Persistence.WorkflowQueries>().ListInstancesAsync("twelve-steps", CancellationToken.None))
        .Count(i => i.SubStatus == "Finished" && i.CorrelationId!.StartsWith("visit-", StringComparison.Ordinal));
    var sorted = latencies.Order().ToArray();
    if (report)
    {
        Console.WriteLine($"N={n}: {finished}/{n} finished in {total.Elapsed.TotalSeconds:F1} s = {n / total.Elapsed.TotalSeconds:F0} workflows/s; " +
            $"resume latency p50 {sorted[sorted.Length / 2]:F2} ms, p99 {sorted[(int)(sorted.Length * 0.99)]:F2} ms; " +
            $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MiB; " +
            $"CPU {cpu.TotalMilliseconds / n:F2} ms per workflow; " +
            $"allocated {(GC.GetTotalAllocatedBytes() - allocated) / n / 1024} KiB per workflow, GC pauses {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F1} s");
    }
    await services.DisposeAsync();
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

sealed class NullOutput : IConsoleOutput
{
    public void WriteLine(string text)
    {
    }
}

sealed class QueueTimerScheduler : ITimerScheduler
{
    private readonly ConcurrentQueue<(string InstanceId, string BookmarkId)> _due = new();

    public Task<string> ScheduleAsync(string instanceId, string bookmarkId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        _due.Enqueue((instanceId, bookmarkId));
        return Task.FromResult(bookmarkId);
    }

    public Task CancelAsync(string jobId, CancellationToken cancellationToken) => Task.CompletedTask;

    public List<(string InstanceId, string BookmarkId)> Drain()
    {
        var due = new List<(string InstanceId, string BookmarkId)>();
        while (_due.TryDequeue(out var timer))
            due.Add(timer);
        return due;
    }
}

static class WorkflowJson
{
    private static string Step(string id, string value) =>
        $$"""{ "id": "{{id}}", "type": "Elsa.SetVariable", "variable": { "id": "v", "name": "Step" }, "value": { "typeName": "Object", "expression": { "type": "Literal", "value": "{{value}}" } } }""";

    private static string Wait(string id, string name) =>
        $$"""{ "id": "{{id}}", "type": "Elsa.Event", "eventName": { "typeName": "String", "expression": { "type": "Literal", "value": "{{name}}" } } }""";

    private static readonly string[] Ids = ["s1", "s2", "s3", "s4", "w1", "s5", "s6", "s7", "w2", "w3", "delay", "final"];

    public static readonly string TwelveSteps = $$"""
        { "id": "twelve-steps-v1", "definitionId": "twelve-steps", "name": "Twelve steps", "version": 1,
          "variables": [ { "id": "v", "name": "Step", "typeName": "String" } ],
          "root": { "id": "flow", "type": "Elsa.Flowchart", "activities": [
            {{Step("s1", "reception")}}, {{Step("s2", "pre-inspection")}}, {{Step("s3", "needs")}}, {{Step("s4", "estimate")}},
            {{Wait("w1", "EstimateApproved")}}, {{Step("s5", "time estimate")}}, {{Step("s6", "handover")}}, {{Step("s7", "work")}},
            {{Wait("w2", "AdditionalWorkAuthorized")}}, {{Wait("w3", "TaskCompleted")}},
            { "id": "delay", "type": "Elsa.Delay", "timeSpan": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "03:00:00" } } },
            {{Step("final", "delivered")}} ],
            "connections": [ {{string.Join(",", Ids.Zip(Ids.Skip(1)).Select(p => $$"""{ "source": { "activity": "{{p.First}}", "port": "Done" }, "target": { "activity": "{{p.Second}}", "port": "In" } }"""))}} ] } }
        """;
}
