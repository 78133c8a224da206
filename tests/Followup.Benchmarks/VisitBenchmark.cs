using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Followup.Activities.Messaging;
using Followup.Host.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Followup.Benchmarks;

/// <summary>
/// The shipped service visit, its satisfaction callback and its next-service reminder, driven over HTTP as the
/// store's staff and customers drive them: an advisor opens the visit, each person finds their task in their inbox
/// (<c>GET /api/tasks</c>) and completes it, the customer opens the estimate's short link on their phone and approves
/// it on the page, a callback agent works the calls when they fall due, and an advisor follows up the reminders. The
/// waits (the callback two days on, the reminder months on) pass on a fake clock.
/// </summary>
internal sealed partial class VisitBenchmark(RequestTimer timer, int callers, Func<int, string> addressOf, Func<string, Task<string?>> estimateText, Func<string, string, Task<bool>> completed)
{
    /// <summary>The host in this process, for what passes on its clock (the aftercare).</summary>
    private BenchHost? _host;

    private static string Password => BenchHost.Password;
    /// <summary>A store's people, one of each per caller: each caller is an advisor with their own workshop.</summary>
    private sealed record Crew(HttpClient Advisor, HttpClient Technician, HttpClient Inspector, HttpClient Agent, string TechnicianName, string Address);

    private const int WarmUp = 400;

    private readonly List<Crew> _crews = [];
    private int _polls;

    public static async Task RunAsync(int n, int callers, Dictionary<string, string?>? settings = null, string store = "SQLite", Func<TimeSpan>? databaseCpu = null)
    {
        var folder = Directory.CreateTempSubdirectory("followup-visit-bench").FullName;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero)); // 09:00 in Shanghai
        await using var host = await BenchHost.StartAsync(folder, clock, settings ?? BenchHost.SqliteSettings(folder));
        var timer = new RequestTimer();
        var outbox = host.Services.GetRequiredService<OutboxStore>();
        var bench = new VisitBenchmark(timer, callers, _ => host.Address,
            async number => string.Join("\n", (await outbox.ListAsync(number, 50, CancellationToken.None)).Select(m => MessagePayload.FromJson(m.Payload).Text)),
            (_, _) => Task.FromResult(false)) { _host = host };
        for (var k = 0; k < callers; k++)
        {
            await host.AddStaffAsync($"advisor{k}", Roles.Advisor);
            await host.AddStaffAsync($"tech{k}", Roles.Technician);
            await host.AddStaffAsync($"inspector{k}", Roles.Technician);
            await host.AddStaffAsync($"agent{k}", Roles.CallbackAgent);
        }
        await bench.SignInAsync();
        // A first, unreported run of visits through the same host lets the JIT compile the hot paths at its top tier
        // (the host's code is large: about 60,000 methods are compiled before it runs at full speed).
        timer.Recording = false;
        var warm = await bench.CustomersAsync(WarmUp, first: 1);
        await bench.VisitsAsync(warm);
        await bench.AftercareAsync(warm.Length);
        var customers = await bench.CustomersAsync(n, first: warm.Length + 1);
        timer.Recording = true;
        timer.Clear();
        bench._polls = 0;

        using var allocations = Environment.GetEnvironmentVariable("FOLLOWUP_BENCH_ALLOCATIONS") == "1" ? new AllocationTypes() : null;
        allocations?.On = true;
        var cpu = Stats.Cpu();
        var dbCpu = databaseCpu?.Invoke() ?? TimeSpan.Zero;
        var allocated = GC.GetTotalAllocatedBytes();
        var writes = Stats.Writes();
        var (jitted, jitTime, gcPaused) = (System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime(), GC.GetTotalPauseDuration());
        var collections = Stats.Collections();
        var total = Stopwatch.StartNew();
        var visits = Stopwatch.StartNew();
        await bench.VisitsAsync(customers);
        visits.Stop();
        var aftercare = Stopwatch.StartNew();
        await bench.AftercareAsync(n);
        aftercare.Stop();
        total.Stop();
        cpu = Stats.Cpu() - cpu;
        dbCpu = (databaseCpu?.Invoke() ?? TimeSpan.Zero) - dbCpu;
        var written = Stats.Writes();
        written = (written.Calls - writes.Calls, written.Bytes - writes.Bytes);

        var all = timer.All();
        Console.WriteLine($"visits N={n} on {store}, {callers} callers: {n / total.Elapsed.TotalSeconds:F0} complete visits/s ({total.Elapsed.TotalSeconds:F1} s: " +
            $"open to delivery {visits.Elapsed.TotalSeconds:F1} s = {n / visits.Elapsed.TotalSeconds:F0} visits/s, callbacks and reminders {aftercare.Elapsed.TotalSeconds:F1} s)");
        Console.WriteLine($"  {all.Length} requests, {all.Length / total.Elapsed.TotalSeconds:F0} requests/s, p50 {Stats.Percentile(all, 50):F1} ms, p99 {Stats.Percentile(all, 99):F1} ms, " +
            $"{(double)all.Length / n:F1} requests and {(double)bench._polls / n:F1} inbox re-reads per visit");
        Console.WriteLine($"  CPU per visit {cpu.TotalMilliseconds / n:F1} ms (this process: host and callers){(databaseCpu is null ? "" : $" + {dbCpu.TotalMilliseconds / n:F1} ms (database server)")}, " +
            $"allocated per visit {(GC.GetTotalAllocatedBytes() - allocated) / n / 1024} KiB, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MiB");
        Console.WriteLine($"  JIT during the run: {System.Runtime.JitInfo.GetCompiledMethodCount() - jitted} methods, {(System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds:F0} ms; " +
            $"GC pauses {(GC.GetTotalPauseDuration() - gcPaused).TotalMilliseconds:F0} ms in {Stats.Collections(collections)}; " +
            $"writes per visit (files and sockets, this process): {(double)written.Calls / n:F0} calls, {written.Bytes / n / 1024} KiB");
        foreach (var line in timer.Breakdown().Concat(timer.Slowest(12)))
            Console.WriteLine(line);
        if (allocations != null)
        {
            allocations.On = false;
            Console.WriteLine("  allocated, by the type sampled every ~100 KB:");
            foreach (var line in allocations.Top(25, n))
                Console.WriteLine(line);
        }
    }

    /// <summary>Everyone signs in (again: a sign-in lasts a working day, and the clock moves on by days).</summary>
    public async Task SignInAsync()
    {
        foreach (var crew in _crews)
        {
            crew.Advisor.Dispose();
            crew.Technician.Dispose();
            crew.Inspector.Dispose();
            crew.Agent.Dispose();
        }
        _crews.Clear();
        for (var k = 0; k < callers; k++)
            _crews.Add(await CrewAsync(k));
    }

    private async Task<Crew> CrewAsync(int k)
    {
        var timing = timer.Handle();
        var address = addressOf(_moved.GetValueOrDefault(k, k));
        return new Crew(await BenchHost.SignInAsync(address, $"advisor{k}", timing), await BenchHost.SignInAsync(address, $"tech{k}", timing),
            await BenchHost.SignInAsync(address, $"inspector{k}", timing), await BenchHost.SignInAsync(address, $"agent{k}", timing), $"tech{k}", address);
    }

    /// <summary>Customers with a car each, registered at the desk before their visit (not timed).</summary>
    public async Task<string[]> CustomersAsync(int n, int first)
    {
        var vehicles = new string[n];
        await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = callers }, async (i, _) =>
        {
            var desk = _crews[i % callers].Advisor;
            var serial = first + i;
            var customer = await Created(await desk.PostAsJsonAsync("/api/customers", new
            {
                name = $"Customer {serial}", phone = $"+86 139 {serial / 10000 % 10000:D4} {serial % 10000:D4}", language = "en", smsConsent = true, emailConsent = false, marketingConsent = true,
            }));
            var vehicle = await Created(await desk.PostAsJsonAsync("/api/vehicles", new
            {
                customerId = customer.GetProperty("id").GetString(), vin = Followup.Activities.Data.Vin.WithCheckDigit($"LSVAU2180N{serial:D7}"),
                plate = $"沪B{serial:D5}", model = "Lavida", year = 2022, odometer = 20000,
            }));
            vehicles[i] = vehicle.GetProperty("id").GetString()!;
        });
        return vehicles;
    }

    /// <summary>
    /// Every visit from its opening to the car's delivery, <c>callers</c> at a time; <paramref name="onVisit"/> hears
    /// of each one finished (the count so far).
    /// </summary>
    public Task VisitsAsync(string[] vehicles, Func<int, Task>? onVisit = null)
    {
        var finished = 0;
        return Parallel.ForAsync(0, vehicles.Length, new ParallelOptions { MaxDegreeOfParallelism = callers }, async (i, _) =>
        {
            await VisitAsync(i % callers, vehicles[i]);
            if (onVisit != null)
                await onVisit(Interlocked.Increment(ref finished));
        });
    }

    private async Task VisitAsync(int k, string vehicleId)
    {
        var visit = await Created(await Step(k, c => c.Advisor.PostAsJsonAsync("/api/visits", new { vehicleId })));
        var number = visit.GetProperty("number").GetString()!;
        await CompleteAsync(k, c => c.Advisor, number, "reception", "Done", new { greeted = "true" });
        await CompleteAsync(k, c => c.Advisor, number, "preInspection", "Done", new { odometer = "25000", fuel = "3/4", covers = "true", wash = "no", waiting = "leave", acknowledged = "true" });
        await CompleteAsync(k, c => c.Advisor, number, "needs", "Done", new { concerns = "", services = "OIL", warranty = "NotCovered", signed = "true" });
        try
        {
            await ApproveByLinkAsync(k, number);
        }
        catch (HttpRequestException)
        {
            // The host died while the customer was on the page: they open the link again; if their answer had been
            // committed the page has no form any more, and the workshop's task shows the answer was kept.
            await MoveAsync(k, _crews[k]);
            try
            {
                await ApproveByLinkAsync(k, number);
            }
            catch (InvalidOperationException)
            {
            }
        }
        await CompleteAsync(k, c => c.Technician, number, "handover", "Done", new { technician = $"tech{k}", received = "true" });
        await CompleteAsync(k, c => c.Technician, number, "work", "WorkDone", new { });
        await CompleteAsync(k, c => c.Inspector, number, "qualityCheck", "Passed", new { });
        await CompleteAsync(k, c => c.Advisor, number, "settlement", "Done", new { explained = "true", payment = "card" });
        await CompleteAsync(k, c => c.Advisor, number, "delivery", "Done", new { walkaround = "true", informed = "true" });
    }

    /// <summary>Hosts the callers were moved away from when their host stopped answering.</summary>
    public int Moves;

    /// <summary>
    /// A request of caller <paramref name="k"/>'s crew. When its host does not answer (killed), the caller signs in
    /// to the next host, as a load balancer would send them there, and the request is made again.
    /// </summary>
    private async Task<HttpResponseMessage> Step(int k, Func<Crew, Task<HttpResponseMessage>> request)
    {
        var crew = _crews[k];
        try
        {
            return await request(crew);
        }
        catch (HttpRequestException)
        {
            await MoveAsync(k, crew);
            return await request(_crews[k]);
        }
    }

    private readonly SemaphoreSlim _moving = new(1, 1);

    private async Task MoveAsync(int k, Crew failed)
    {
        await _moving.WaitAsync();
        try
        {
            if (_crews[k] == failed)
            {
                _dead.Add(failed.Address);
                for (var next = k + 1; ; next++)
                {
                    if (!_dead.Contains(addressOf(next)))
                    {
                        _moved[k] = next;
                        break;
                    }
                }
                _crews[k] = await CrewAsync(k);
                Interlocked.Increment(ref Moves);
            }
        }
        finally
        {
            _moving.Release();
        }
    }

    private readonly HashSet<string> _dead = [];
    private readonly Dictionary<int, int> _moved = [];

    /// <summary>
    /// Two days on the callback agents' calls fall due and each is reached (satisfied, resolved); months on the
    /// reminders go, and a week later the advisors call those who have not booked and book them.
    /// </summary>
    private async Task AftercareAsync(int n)
    {
        var host = _host!;
        await host.AdvanceAsync(TimeSpan.FromDays(3));
        await SignInAsync();
        await WorkQueueAsync(c => c.Agent, "callback", "Reached", new { score = "5", resolved = "yes", comments = "" }, n);
        await host.AdvanceAsync(TimeSpan.FromDays(200));
        await host.AdvanceAsync(TimeSpan.FromDays(8));
        await SignInAsync();
        await WorkQueueAsync(c => c.Advisor, "reminder", "Done", new { result = "booked", notes = "" }, n);
    }

    /// <summary>Each caller takes the tasks of a step from the top of their inbox until <paramref name="n"/> are done.</summary>
    private async Task WorkQueueAsync(Func<Crew, HttpClient> who, string activityId, string action, object values, int n)
    {
        var done = 0;
        var idle = Stopwatch.StartNew();
        await Parallel.ForAsync(0, callers, new ParallelOptions { MaxDegreeOfParallelism = callers }, async (k, _) =>
        {
            var staff = who(_crews[k]);
            while (Volatile.Read(ref done) < n)
            {
                var tasks = (await Inbox(staff)).Where(t => t.ActivityId == activityId).ToList();
                if (tasks.Count == 0)
                {
                    if (idle.Elapsed > TimeSpan.FromSeconds(60))
                        throw new TimeoutException($"{n - done} {activityId} tasks never came");
                    Interlocked.Increment(ref _polls);
                    await Task.Delay(20);
                    continue;
                }
                // Callers working one list take different rows of it, as people at desks side by side do.
                var task = tasks[k % tasks.Count];
                using var response = await staff.PostAsJsonAsync($"/api/tasks/{task.Id}/complete", new { action, values });
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    Interlocked.Increment(ref done);
                    idle.Restart();
                }
                else if (response.StatusCode != HttpStatusCode.Conflict)
                    throw new InvalidOperationException($"{activityId}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        });
    }

    /// <summary>
    /// The fields of an inbox row the callers use. They read only these, as a client showing a list does: the callers
    /// share the host's process, and parsing each whole row with its form into a document was counted against the host.
    /// </summary>
    private sealed record InboxTask(string Id, string ActivityId, string? CorrelationId);

    private sealed record InboxPage(List<InboxTask> Items);

    private static async Task<List<InboxTask>> Inbox(HttpClient staff) =>
        (await staff.GetFromJsonAsync<InboxPage>("/api/tasks"))!.Items;

    /// <summary>
    /// Finds the open task of a step of a visit in the staff member's inbox (reading it again until it is there) and
    /// completes it. A completion whose host died before it answered may have been committed: it is then done.
    /// </summary>
    private async Task CompleteAsync(int k, Func<Crew, HttpClient> who, string number, string activityId, string action, object values)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var inbox = await Step(k, c => who(c).GetAsync("/api/tasks"));
            var task = (await inbox.Content.ReadFromJsonAsync<InboxPage>())!.Items.FirstOrDefault(t => t.CorrelationId == number && t.ActivityId == activityId);
            if (task is not null)
            {
                var crew = _crews[k];
                try
                {
                    using var response = await who(crew).PostAsJsonAsync($"/api/tasks/{task.Id}/complete", new { action, values });
                    if (response.StatusCode != HttpStatusCode.NoContent)
                        throw new InvalidOperationException($"{number} {activityId}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    return;
                }
                catch (HttpRequestException)
                {
                    await MoveAsync(k, crew);
                    if (await completed(number, activityId))
                        return;
                    continue;
                }
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException($"{number}: no {activityId} task");
            Interlocked.Increment(ref _polls);
            await Task.Delay(5);
        }
    }

    /// <summary>The customer taps the short link in the estimate's text and approves every line on the page.</summary>
    private async Task ApproveByLinkAsync(int k, string number)
    {
        var deadline = Stopwatch.StartNew();
        string? link = null;
        while (link is null)
        {
            link = ShortLink().Match(await estimateText(number) ?? "") is { Success: true } found ? found.Value : null;
            if (link is null)
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                    throw new TimeoutException($"{number}: no estimate text");
                await Task.Delay(5);
            }
        }
        // The phone reaches whichever host answers (the caller's, once it has moved).
        using var phone = new HttpClient(((RequestTimer.Handler)timer.Handle()).Wrap(Phone())) { BaseAddress = new Uri(_crews[k].Address) };
        string signed;
        using (var redirect = await phone.GetAsync(new Uri(link).PathAndQuery))
            signed = redirect.Headers.Location?.PathAndQuery ?? throw new InvalidOperationException($"{number}: {link} answered {redirect.StatusCode}");
        var page = await phone.GetStringAsync(signed);
        var form = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", BenchHost.AntiforgeryToken(page)), new("signedName", "Customer"), new("consent", "true"), new("decision", "approve") };
        form.AddRange(Line().Matches(page).Select(m => new KeyValuePair<string, string>("line", m.Groups[1].Value)));
        using var answer = await phone.PostAsync(signed, new FormUrlEncodedContent(form));
        if (!answer.IsSuccessStatusCode)
            throw new InvalidOperationException($"{number} approval: {answer.StatusCode}");
    }

    private int _phones;

    /// <summary>
    /// A customer's phone: its own cookies and its own address (127.x.y.z), as customers reach the store from
    /// addresses of their own and the customer pages limit requests per address.
    /// </summary>
    private SocketsHttpHandler Phone()
    {
        var n = Interlocked.Increment(ref _phones);
        var address = new IPAddress([127, (byte)(1 + n / 65536 % 250), (byte)(n / 256 % 256), (byte)(1 + n % 250)]);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            ConnectCallback = async (context, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(address, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }

    private static async Task<JsonElement> Created(HttpResponseMessage response)
    {
        using (response)
        {
            if (response.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }
    }

    [GeneratedRegex(@"http\S+/s/[A-Za-z0-9]{8}")]
    private static partial Regex ShortLink();

    [GeneratedRegex("name=\"line\" value=\"([^\"]+)\"")]
    private static partial Regex Line();
}
