using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Followup.Activities.Data;
using Followup.Host.Security;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Followup.Benchmarks;

/// <summary>
/// One store with a large number of waiting instances of the shipped workflows: half satisfaction callbacks (their
/// first call due in two days) and half next-service reminders (due in months), for visits delivered in the last day,
/// beside a year of visits before them. Measures the host's start-up to ready and its memory on that database, a
/// resume among them (the callback's call falling due, as its timer job resumes it), the inbox of the callback agents
/// with the calls those resumes opened, and the dashboard over the year.
/// </summary>
internal static class WaitingBenchmark
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero); // 09:00 in Shanghai

    /// <summary>Seeds a store, then measures it in a process of its own; with <paramref name="seedOnly"/>, leaves it to `waiting-measure` (on copies, so that each measure starts from the same store).</summary>
    public static async Task RunAsync(int waiting, int openTasks, int yearOfVisits, bool seedOnly = false)
    {
        var folder = Directory.CreateTempSubdirectory("followup-waiting-bench").FullName;
        var clock = new FakeTimeProvider(Now);
        var settings = BenchHost.SqliteSettings(folder);
        settings["Hangfire:SchedulePollInterval"] = "00:10:00"; // nothing falls due meanwhile on the fake clock
        var recent = waiting / 2;
        var seeding = Stopwatch.StartNew();
        await using (var host = await BenchHost.StartAsync(folder, clock, settings))
        {
            await host.AddStaffAsync("manager", Roles.Manager);
            await host.AddStaffAsync("agent", Roles.CallbackAgent);
            var (numbers, visitIds) = await SeedVisitsAsync(host, recent, yearOfVisits);
            var runtime = host.Services.GetRequiredService<IWorkflowRuntime>();
            var started = 0;
            await Parallel.ForAsync(0, recent, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            {
                foreach (var definition in new[] { "satisfaction-callback", "service-reminder" })
                {
                    var result = await runtime.StartAsync(new StartWorkflowRequest
                    {
                        DefinitionId = definition, CorrelationId = numbers[i], Input = new Dictionary<string, object?> { ["VisitId"] = visitIds[i] },
                    }, ct);
                    if (result.Status != WorkflowStatus.Running)
                        throw new InvalidOperationException($"{definition} for {numbers[i]}: {result.Status} {result.SubStatus}");
                }
                if (Interlocked.Increment(ref started) % 10_000 == 0)
                    Console.WriteLine($"  {started * 2:N0} instances waiting after {seeding.Elapsed.TotalSeconds:F0} s");
            });
        }
        Console.WriteLine($"waiting N={waiting:N0}: seeded {recent:N0} recent visits with a callback and a reminder each and {yearOfVisits:N0} visits over the year before in {seeding.Elapsed.TotalSeconds:F0} s; " +
            $"database {new FileInfo(Path.Combine(folder, "followup.db")).Length / 1024 / 1024} MiB");
        if (seedOnly)
        {
            Console.WriteLine($"  measure it (or a copy: each measure resumes the soonest timers and moves the store on) with `waiting-measure {folder} {openTasks}`");
            return;
        }
        // The rest in a process of its own, as a host restarted on that database: its memory is the host's alone.
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        // The C library's setting of the README's production set-up, unless this run was given one.
        if (Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not { Length: > 0 })
            info.Environment["MALLOC_ARENA_MAX"] = "2";
        foreach (var arg in new[] { typeof(WaitingBenchmark).Assembly.Location, "waiting-measure", folder, openTasks.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        using var measure = Process.Start(info)!;
        await measure.WaitForExitAsync();
        if (measure.ExitCode != 0)
            throw new InvalidOperationException($"the measuring process exited with {measure.ExitCode}");
    }

    /// <summary>The host started on a seeded store in this (fresh) process, and what it is measured doing.</summary>
    public static async Task MeasureAsync(string folder, int openTasks)
    {
        // Each timer's job waits in Hangfire for its delay on the real clock from the seeding. Once a store is older than
        // its soonest delay, those jobs fire as the host starts, and the measurements count them as well.
        if (await SoonestTimerJobAsync(folder) is { } soonest && soonest <= DateTimeOffset.UtcNow)
            throw new InvalidOperationException($"The store in {folder} was seeded too long ago: its first timer jobs fell due on the real clock at {soonest:u}. Seed a new one (`waiting`).");
        var clock = new FakeTimeProvider(Now);
        await using var again = await BenchHost.StartAsync(folder, clock, BenchHost.SqliteSettings(folder));
        var started = Stopwatch.StartNew();
        using var probe = new HttpClient { BaseAddress = new Uri(again.Address) };
        var ready = await probe.GetAsync("/health/ready");
        Console.WriteLine($"  start-up to ready: {again.StartedIn.TotalSeconds:F2} s ({(int)ready.StatusCode}); {Memory()}");
        await again.Services.GetRequiredService<Followup.Host.Scheduling.TimerSweep>().Recovered;
        Console.WriteLine($"  the waiting timers' jobs checked {again.StartedIn.TotalSeconds + started.Elapsed.TotalSeconds:F1} s after the start began");

        // Resumes among the waiting: the soonest timers are the callbacks' first calls; each opens a call task.
        var store = again.Services.GetRequiredService<IWorkflowRunStore>();
        var timers = await store.ListTimersAsync(null, DateTime.MinValue, "", openTasks, CancellationToken.None);
        var runtime2 = again.Services.GetRequiredService<IWorkflowRuntime>();
        var latencies = new ConcurrentBag<double>();
        // The first few hundred are not reported: the JIT compiles the resume's code meanwhile, and then again, optimised,
        // on a thread of its own for a second or so, which on two cores slows what runs beside it. The measured resumes
        // begin once it has been quiet for half a second, as in a host that has been running for a while.
        var warm = Math.Min(500, timers.Count / 5);
        await Parallel.ForEachAsync(timers.Take(warm), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (timer, ct) => await runtime2.ResumeAsync(timer.InstanceId, timer.Id, null, ct));
        var settling = Stopwatch.StartNew();
        for (var compiled = -1L; compiled != System.Runtime.JitInfo.GetCompiledMethodCount() && settling.Elapsed < TimeSpan.FromSeconds(30);)
        {
            compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            await Task.Delay(500);
        }
        Console.WriteLine($"  {warm} resumes to warm up, and the JIT quiet {settling.Elapsed.TotalSeconds:F1} s after them");
        // One at a time (what one event waits when it comes alone), then 16 at a time (a burst of them, queueing for the two cores).
        var alone = Math.Min(500, (timers.Count - warm) / 4);
        foreach (var (batch, parallel) in new[] { (timers.Skip(warm).Take(alone), 1), (timers.Skip(warm + alone), 16) })
        {
            latencies.Clear();
            var (jitted, jitTime) = (System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());
            var resumeTime = Stopwatch.StartNew();
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (timer, ct) =>
            {
                var sw = Stopwatch.StartNew();
                var result = await runtime2.ResumeAsync(timer.InstanceId, timer.Id, null, ct);
                latencies.Add(sw.Elapsed.TotalMilliseconds);
                if (result.Outcome != ResumeOutcome.Resumed)
                    throw new InvalidOperationException($"{timer.InstanceId}: {result.Message}");
            });
            var sorted = latencies.Order().ToArray();
            if (sorted.Length > 0)
                Console.WriteLine($"  {sorted.Length:N0} resumes ({string.Join(", ", timers.Select(t => t.DefinitionId).Distinct())}, {parallel} at a time): {sorted.Length / resumeTime.Elapsed.TotalSeconds:F0}/s, " +
                    $"p50 {Stats.Percentile(sorted, 50):F1} ms, p99 {Stats.Percentile(sorted, 99):F1} ms; the JIT meanwhile {System.Runtime.JitInfo.GetCompiledMethodCount() - jitted} methods in " +
                    $"{(System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds:F0} ms; {Memory()}");
        }

        var timer = new RequestTimer();
        var agent = await BenchHost.SignInAsync(again.Address, "agent", timer.Handle());
        var manager = await BenchHost.SignInAsync(again.Address, "manager", timer.Handle());
        timer.Clear();
        await GetAsync(agent, "/api/tasks", 20);
        await GetAsync(agent, "/inbox/?lang=en", 20);
        Console.WriteLine($"  after the inbox: {Memory()}");
        // The year before the last day holds the year's visits (half the store); the whole year adds the last day's.
        string Period(int fromDays, int toDays) => $"from={Uri.EscapeDataString(Now.AddDays(fromDays).ToString("O"))}&to={Uri.EscapeDataString(Now.AddDays(toDays).ToString("O"))}";
        Console.WriteLine("  the year before the last day:");
        await GetAsync(manager, $"/dashboard?{Period(-367, -1)}&lang=en", 10);
        await GetAsync(manager, $"/api/kpis?{Period(-367, -1)}", 10);
        Console.WriteLine($"  after the year before the last day: {Memory()}");
        Console.WriteLine("  the whole year, the last day's visits included:");
        await GetAsync(manager, $"/dashboard?{Period(-367, 0)}&lang=en", 5);
        var gc = GC.GetGCMemoryInfo();
        Console.WriteLine($"  the agent's inbox holds {(await agent.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/tasks")).GetProperty("total").GetInt32():N0} open tasks; {Memory()}; " +
            $"the managed heap {gc.HeapSizeBytes / 1024 / 1024} MiB after the last collection ({gc.PromotedBytes / 1024 / 1024} MiB kept by it, {gc.TotalCommittedBytes / 1024 / 1024} MiB committed)");

        async Task GetAsync(HttpClient client, string path, int times)
        {
            var each = new List<double>();
            for (var i = 0; i < times + 2; i++)
            {
                var sw = Stopwatch.StartNew();
                using var response = await client.GetAsync(path);
                var bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"{path}: {response.StatusCode}");
                if (i >= 2) // the first two warm the JIT
                    each.Add(sw.Elapsed.TotalMilliseconds);
                if (i == times + 1)
                {
                    var s = each.Order().ToArray();
                    Console.WriteLine($"  GET {path.Split('?')[0],-16} {bytes / 1024,6} KiB  p50 {Stats.Percentile(s, 50),7:F1} ms  p99 {Stats.Percentile(s, 99),7:F1} ms  ({times} requests, one at a time)");
                }
            }
        }
    }

    /// <summary>
    /// The manager's dashboard over a year of <paramref name="visits"/> visits, each with its estimate, bill and
    /// callback, on a store seeded for it, or on the <paramref name="seeded"/> folder of an earlier run (the measured
    /// build's migrations apply to it first).
    /// </summary>
    public static async Task DashboardAsync(int visits, string? seeded = null)
    {
        var folder = seeded ?? Directory.CreateTempSubdirectory("followup-dashboard-bench").FullName;
        var clock = new FakeTimeProvider(Now);
        await using var host = await BenchHost.StartAsync(folder, clock, BenchHost.SqliteSettings(folder));
        await host.AddStaffAsync("manager", Roles.Manager);
        var seeding = Stopwatch.StartNew();
        if (seeded == null)
            await SeedVisitsAsync(host, 0, visits, records: true);
        Console.WriteLine($"dashboard over a year of {visits:N0} visits (each with an estimate, a bill and a callback), seeded in {seeding.Elapsed.TotalSeconds:F0} s in {folder}:");
        var manager = await BenchHost.SignInAsync(host.Address, "manager");
        var year = $"from={Uri.EscapeDataString(Now.AddDays(-367).ToString("O"))}&to={Uri.EscapeDataString(Now.ToString("O"))}";
        // Twice over: first as a host just started meets them (its code still being compiled), then warm.
        foreach (var pass in new[] { "just started", "warm" })
        {
            Console.WriteLine($"  {pass}:");
            foreach (var path in new[] { $"/dashboard?{year}&lang=en", $"/api/kpis?{year}", "/dashboard?lang=en" })
            {
                var each = new List<double>();
                for (var i = 0; i < 12; i++)
                {
                    var sw = Stopwatch.StartNew();
                    using var response = await manager.GetAsync(path);
                    await response.Content.ReadAsByteArrayAsync();
                    if (!response.IsSuccessStatusCode)
                        throw new InvalidOperationException($"{path}: {response.StatusCode}");
                    if (i >= 2)
                        each.Add(sw.Elapsed.TotalMilliseconds);
                }
                var sorted = each.Order().ToArray();
                Console.WriteLine($"    GET {(path.Contains("from=", StringComparison.Ordinal) ? path.Split('?')[0] + " (the year)" : path.Split('?')[0] + " (30 days)"),-26} p50 {Stats.Percentile(sorted, 50),7:F1} ms  max {sorted[^1],7:F1} ms  (10 requests, one at a time)");
            }
        }
    }

    /// <summary>When the soonest timer job of the store's Hangfire storage falls due, on the real clock; null when none waits.</summary>
    private static async Task<DateTimeOffset?> SoonestTimerJobAsync(string folder)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "hangfire.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT MIN("Score") FROM "Set" WHERE "Key" = 'schedule'""";
        return await command.ExecuteScalarAsync() is double seconds ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)) : null;
    }

    /// <summary>The working set now and its peak so far: printed after each part, it shows which part set the peak.</summary>
    private static string Memory()
    {
        using var process = Process.GetCurrentProcess();
        return $"working set {process.WorkingSet64 / 1024 / 1024} MiB, peak so far {process.PeakWorkingSet64 / 1024 / 1024} MiB";
    }

    /// <summary>
    /// The store's records written directly: <paramref name="recent"/> visits delivered in the last day and
    /// <paramref name="year"/> visits delivered over the year before, each with its customer and car.
    /// </summary>
    private static async Task<(string[] Numbers, string[] VisitIds)> SeedVisitsAsync(BenchHost host, int recent, int year, bool records = false)
    {
        var factory = host.Services.GetRequiredService<IDbContextFactory<DealershipDbContext>>();
        var numbers = new string[recent];
        var ids = new string[recent];
        var total = recent + year;
        const int Batch = 5_000;
        for (var start = 0; start < total; start += Batch)
        {
            await using var db = await factory.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(total, start + Batch); i++)
            {
                // The year's visits first (oldest first), then the last day's.
                var delivered = i < year
                    ? Now.UtcDateTime.AddDays(-366 + 365.0 * i / year)
                    : Now.UtcDateTime.AddHours(-24 + 24.0 * (i - year) / recent);
                var serial = i + 1;
                var customer = new Customer
                {
                    Id = $"c{serial:D7}", Name = $"Customer {serial}", Phone = $"+86139{serial:D8}", Language = i % 3 == 0 ? "en" : "zh-CN",
                    SmsConsent = true, MarketingConsent = true, CreatedAt = delivered.AddDays(-30), UpdatedAt = delivered.AddDays(-30),
                };
                var vehicle = new Vehicle
                {
                    Id = $"v{serial:D7}", CustomerId = customer.Id, Vin = Vin.WithCheckDigit($"LSVAU2180N{serial:D7}"), Plate = $"沪B{serial:D6}", Model = "Lavida", Year = 2022,
                    CreatedAt = customer.CreatedAt,
                };
                var visit = new Visit
                {
                    Id = $"visit{serial:D7}", Number = $"RO-{delivered.Year}-{serial:D6}", CustomerId = customer.Id, VehicleId = vehicle.Id, Status = VisitStatus.Delivered,
                    Advisor = $"advisor{serial % 8}", Technician = $"tech{serial % 12}", CreatedAt = delivered.AddHours(-3), UpdatedAt = delivered,
                    GreetedAt = delivered.AddHours(-3), PromisedAt = delivered.AddMinutes(-10), ReadyAt = delivered.AddMinutes(-30), DeliveredAt = delivered,
                };
                db.Customers.Add(customer);
                db.Vehicles.Add(vehicle);
                db.Visits.Add(visit);
                db.Set<MileageReading>().Add(new MileageReading { VehicleId = vehicle.Id, Kilometres = 20_000 + serial % 5_000, ReadAt = visit.CreatedAt, Source = "visit" });
                if (records && i < year)
                {
                    // What the dashboard reads of a visit: its estimate (approved), its bill (settled) and its callback (done).
                    var estimate = new Estimate
                    {
                        Id = $"e{serial:D7}", VisitId = visit.Id, Kind = EstimateKind.Estimate, Status = EstimateStatus.Approved, CreatedAt = visit.CreatedAt.AddMinutes(20), DecidedAt = visit.CreatedAt.AddMinutes(35),
                        Lines = [new EstimateLine { EstimateId = $"e{serial:D7}", LineKey = "OIL", Description = "Oil change", Labour = 120, Parts = 360, Approved = true },
                                 new EstimateLine { EstimateId = $"e{serial:D7}", LineKey = "CABINF", Description = "Cabin filter", Labour = 40, Parts = 110, Approved = serial % 4 != 0 }],
                    };
                    db.Estimates.Add(estimate);
                    var invoice = new Invoice
                    {
                        Id = $"inv{serial:D7}", VisitId = visit.Id, Number = $"INV-{delivered.Year}-{serial:D6}", Status = InvoiceStatus.Settled, CreatedAt = delivered.AddMinutes(-20),
                        Lines = [new InvoiceLine { InvoiceId = $"inv{serial:D7}", LineKey = "OIL", Description = "Oil change", Parts = 480 }],
                    };
                    // What settlement keeps on the bill.
                    invoice.KeepTotals(estimate.Lines);
                    db.Invoices.Add(invoice);
                    db.Callbacks.Add(new CallbackRecord
                    {
                        Id = $"cb{serial:D7}", VisitId = visit.Id, DueAt = delivered.AddDays(2), DeadlineAt = delivered.AddDays(3), Status = CallbackStatus.Done, Attempts = 1,
                        Score = 1 + serial % 5, Resolved = true, Agent = "agent", DoneAt = delivered.AddDays(2).AddHours(1),
                    });
                }
                if (i >= year)
                    (numbers[i - year], ids[i - year]) = (visit.Number, visit.Id);
            }
            await db.SaveChangesAsync();
        }
        return (numbers, ids);
    }
}
