using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Host.Tests;

/// <summary>
/// A store's run of visits on the fake clock — bookings, walk-ins and no-shows — where every choice a customer or a
/// member of staff makes is drawn from one seeded random source, followed by months of aftercare (callbacks,
/// surveys, declined-work follow-ups, service reminders). The same seed replays the same store.
/// </summary>
internal sealed partial class StoreDaySimulation(ServiceDesk desk, int seed, Action<string> log)
{
    private static readonly string[] Services = ["OIL", "WIPER", "BRAKEF", "AIRF", "TYROT", "BATT"];
    private static readonly string[] Concerns = ["Squeak from the front brakes", "Engine warning light", "Air conditioning smells", "Pulls to the left", ""];
    private static readonly string[] Refusals = ["declin", "not need"];

    private Random _random = new(seed);
    private readonly List<SimCustomer> _customers = [];
    private readonly List<SimVisit> _visits = [];
    private readonly List<int> _scoresGiven = [];
    private readonly HashSet<string> _answeredMessages = [];
    private int _arrived, _noShows, _expectedComebacks, _twilioSid;

    /// <summary>How often each branch was taken, so a seed that misses one is seen.</summary>
    private readonly SortedDictionary<string, int> _branches = new(StringComparer.Ordinal);

    private void Took(string branch) => _branches[branch] = _branches.GetValueOrDefault(branch) + 1;

    private sealed record SimCustomer(int Serial, string Id, string VehicleId, string Phone, bool Sms, bool Marketing, bool Email)
    {
        public int Odometer { get; set; } = 20000;
        public DateTime? StoppedAt { get; set; }
        public bool CanText => Sms && StoppedAt is null;
    }

    private sealed record SimVisit(string Id, string Number, SimCustomer Customer, string Concern, bool Comeback)
    {
        public string Decision { get; set; } = "";
        public string Extra { get; set; } = "none";
        /// <summary>When the car left: delivered, or handed back without work.</summary>
        public DateTime? EndedAt { get; set; }
    }

    /// <summary>
    /// Draws for one entry, task or message come from their own stream, named after it: a choice never depends on how
    /// many draws background timing put before it, so the seed replays the same store.
    /// </summary>
    private void Draw(string key)
    {
        var hash = 2166136261u;
        foreach (var c in $"{seed}:{key}")
            hash = (hash ^ c) * 16777619u;
        _random = new Random(unchecked((int)hash));
    }

    private bool Chance(double p) => _random.NextDouble() < p;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private DateTime Now => desk.Host.Clock.GetUtcNow().UtcDateTime;

    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static DateTime StoreTime(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    public async Task RunAsync(int entries)
    {
        for (var i = 0; i < 60; i++)
            await NewCustomerAsync(i);
        for (var entry = 0; entry < entries; entry++)
        {
            Draw($"entry:{entry}");
            await OpeningHoursAsync();
            await EntryAsync(entry);
            await WorkTheInboxAsync();
        }
        log($"{_visits.Count} visits, {_arrived} booked arrivals, {_noShows} no-shows, {_customers.Count(c => c.StoppedAt != null)} STOPs; decisions: " +
            string.Join(", ", _visits.GroupBy(v => v.Decision).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
        await AftercareAsync();
        foreach (var visit in _visits)
        {
            Took("estimate:" + visit.Decision);
            Took("additional:" + visit.Extra);
        }
        log("branches: " + string.Join(", ", _branches.Select(b => $"{b.Key} {b.Value}")));
        await CheckInvariantsAsync();
    }

    private async Task<SimCustomer> NewCustomerAsync(int index)
    {
        var serial = 5000 + index;
        var entry = _random;
        Draw($"customer:{index}");
        var sms = Chance(0.88);
        var marketing = sms && Chance(0.75);
        var email = Chance(0.3);
        var phone = $"+86 139 5000 {serial % 10000:D4}";
        var customer = await desk.Api.PostAsJsonAsync("/api/customers", new
        {
            name = $"Customer {serial}", phone, email = email ? $"c{serial}@example.com" : null, language = "en", smsConsent = sms, emailConsent = email, marketingConsent = marketing,
        });
        Assert.Equal(HttpStatusCode.Created, customer.StatusCode);
        var customerId = (await customer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var vehicle = await desk.Api.PostAsJsonAsync("/api/vehicles", new { customerId, vin = ServiceDesk.Vin(serial), plate = $"沪S{serial:D5}", model = "Lavida", year = 2021, odometer = 20000 });
        Assert.Equal(HttpStatusCode.Created, vehicle.StatusCode);
        _random = entry;
        var created = new SimCustomer(serial, customerId, (await vehicle.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!, $"+861395000{serial % 10000:D4}", sms, marketing, email);
        _customers.Add(created);
        return created;
    }

    /// <summary>Visits come while the store is open: after 16:30 the next one waits for the morning.</summary>
    private async Task OpeningHoursAsync()
    {
        var local = StoreTime(Now);
        if (local.TimeOfDay >= new TimeSpan(16, 30, 0) || local.TimeOfDay < new TimeSpan(9, 0, 0))
        {
            var morning = (local.TimeOfDay < new TimeSpan(9, 0, 0) ? local.Date : local.Date.AddDays(1)).AddHours(9);
            await desk.AdvanceAsync(morning - local);
        }
        else
        {
            await desk.AdvanceAsync(TimeSpan.FromMinutes(_random.Next(5, 30)));
        }
    }

    private async Task EntryAsync(int entry)
    {
        // A customer who was here within 30 days may come back with the same concern (a comeback); anyone else comes
        // with a car not seen for over a month, so that every comeback is one the simulation chose.
        var recent = _visits.Where(v => v.Concern != "" && v.EndedAt > Now.AddDays(-25) && v.Decision is "all" or "some" or "phone" or "again" && LastVisit(v.Customer) == v).ToList();
        var comebackOf = recent.Count > 0 && Chance(0.15) ? Pick(recent) : null;
        var away = _customers.Where(c => LastVisit(c) is not { } last || last.EndedAt < Now.AddDays(-31)).ToList();
        var customer = comebackOf?.Customer ?? (away.Count == 0 || Chance(0.3) ? await NewCustomerAsync(_customers.Count) : Pick(away));
        var booked = Chance(0.55);
        (string Id, string Number) visit;
        if (booked)
        {
            var slot = Now.AddMinutes(60);
            var response = await desk.Api.PostAsJsonAsync("/api/appointments", new { customerId = customer.Id, vehicleId = customer.VehicleId, slotAt = slot, request = "Service", advisor = "wang" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var appointmentId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            if (comebackOf is null && Chance(0.12))
            {
                _noShows++;
                Took("no-show");
                await desk.AdvanceAsync(TimeSpan.FromMinutes(100)); // the slot and its grace pass: the advisor follows the no-show up
                return;
            }
            await desk.AdvanceAsync(TimeSpan.FromMinutes(55));
            var arrived = await desk.Api.PostAsync($"/api/appointments/{appointmentId}/arrive", null);
            Assert.Equal(HttpStatusCode.Created, arrived.StatusCode);
            var view = await arrived.Content.ReadFromJsonAsync<JsonElement>();
            visit = (view.GetProperty("id").GetString()!, view.GetProperty("number").GetString()!);
            _arrived++;
        }
        else
        {
            visit = await desk.WalkInAsync(customer.VehicleId);
        }
        var concern = comebackOf?.Concern ?? Pick(Concerns);
        var sim = new SimVisit(visit.Id, visit.Number, customer, concern, comebackOf != null);
        _visits.Add(sim);
        if (comebackOf != null)
            _expectedComebacks++;
        Took(comebackOf != null ? "comeback" : booked ? "booked" : "walk-in");
        await ServeAsync(sim, entry);
    }

    private SimVisit? LastVisit(SimCustomer customer) => _visits.LastOrDefault(v => v.Customer == customer);

    private async Task ServeAsync(SimVisit visit, int entry)
    {
        var number = visit.Number;
        var customer = visit.Customer;
        customer.Odometer += _random.Next(500, 6000);
        await desk.CompleteAsync("wang", number, "reception", "Done", new { greeted = "true" });
        var wash = Chance(0.4) ? "yes" : "no";
        await desk.CompleteAsync("wang", number, "preInspection", "Done", new
        {
            odometer = customer.Odometer.ToString(CultureInfo.InvariantCulture), fuel = "1/2", covers = "true", wash, waiting = Chance(0.5) ? "wait" : "leave", acknowledged = "true",
        });
        var services = Chance(0.06) ? [] : Services.Where(_ => Chance(0.35)).DefaultIfEmpty("OIL").ToList();
        var warranty = visit.Concern != "" && Chance(0.1) ? "NeedsDecision" : "NotCovered";
        await desk.CompleteAsync("wang", number, "needs", "Done", new { concerns = visit.Concern, services = string.Join(",", services), warranty, signed = "true" });
        if (warranty == "NeedsDecision")
        {
            var covered = Chance(0.5) ? "Covered" : "NotCovered";
            Took("warranty:" + covered);
            await desk.CompleteAsync("liu", number, "warrantyDecision", covered, new { decision = "Checked against the warranty terms" });
        }

        // What comes after the needs: an approval (by link or, without texts, an advisor's call) or, with nothing priced, the workshop.
        var next = await NextTaskOrApprovalAsync(visit);
        if (next == "handover")
            visit.Decision = "nothing-priced";
        else
        {
            var linkSent = customer.CanText;
            if (linkSent && Chance(0.05))
            {
                // STOP mid-way, once the estimate has reached the phone: its link still works.
                await desk.SentAsync(Channels.Sms, "your service estimate is ready", number);
                await StopAsync(customer);
                Took("stop");
            }
            if (!await DecideEstimateAsync(visit, linkSent))
            {
                visit.EndedAt = Now;
                return;
            }
        }
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        if (Chance(0.25))
            await AdditionalWorkAsync(visit);
        await desk.CompleteAsync("zhang", number, "work", "WorkDone", new { });
        if (Chance(0.1))
        {
            Took("quality-check-failed");
            await desk.CompleteAsync("zhou", number, "qualityCheck", "Failed", new { notes = "Not right yet", reworkHours = "1" });
            await desk.CompleteAsync("zhang", number, "work", "WorkDone", new { });
        }
        await desk.CompleteAsync("zhou", number, "qualityCheck", "Passed", new { });
        if (wash == "yes")
            await desk.CompleteAsync("zhang", number, "wash", "Done", new { done = "true" });
        await desk.CompleteAsync("wang", number, "settlement", "Done", new { explained = "true", payment = Pick(new[] { "cash", "card", "wechat", "alipay" }) });
        await desk.CompleteAsync("wang", number, "delivery", "Done", new { walkaround = "true", informed = "true" });
        visit.EndedAt = Now;
        if (entry % 50 == 49)
            log($"{entry + 1} entries served by {StoreTime(Now):yyyy-MM-dd HH:mm}");
    }

    /// <summary>After the needs: "handover" when nothing needs approving, else "approval" once the approval is asked for.</summary>
    private async Task<string> NextTaskOrApprovalAsync(SimVisit visit) =>
        await Poll.UntilAsync(async () =>
        {
            var record = await desk.VisitAsync(visit.Id);
            if (record.GetProperty("approvals").EnumerateArray().Any())
                return "approval";
            return (await OpenTasksAsync()).Any(t => Is(t, visit.Number, "handover")) ? "handover" : "";
        }, s => s != "", what: $"the approval or the workshop of {visit.Number}");

    /// <summary>The customer's decision on the estimate; false when the car goes back without work (the visit is over).</summary>
    private async Task<bool> DecideEstimateAsync(SimVisit visit, bool byLink)
    {
        var number = visit.Number;
        var roll = _random.NextDouble();
        visit.Decision = !byLink ? (roll < 0.75 ? "phone" : "unreached") : roll switch { < 0.5 => "all", < 0.68 => "some", < 0.78 => "decline", < 0.9 => "phone", _ => "unreached" };
        switch (visit.Decision)
        {
            case "all":
                await desk.ApproveByLinkAsync(number, "your service estimate is ready");
                return true;
            case "some":
                await desk.ApproveByLinkAsync(number, "your service estimate is ready", [(await LinesAsync(visit, "Estimate"))[0]]);
                return true;
            case "decline":
                await desk.ApproveByLinkAsync(number, "your service estimate is ready", [], decline: true);
                await desk.CompleteAsync("wang", number, "returnCar", "Done", new { walkaround = "true" });
                return false;
            case "phone":
                if (byLink)
                    await desk.AdvanceAsync(TimeSpan.FromDays(1));
                var approved = (await LinesAsync(visit, "Estimate")).Where(_ => Chance(0.7)).ToList();
                if (approved.Count == 0)
                    visit.Decision = "phone-none";
                await desk.CompleteAsync("wang", number, "estimateApproval", "CustomerDecided", new { approved = string.Join(",", approved), notes = "On the phone" });
                if (approved.Count > 0)
                    return true;
                await desk.CompleteAsync("wang", number, "returnCar", "Done", new { walkaround = "true" });
                return false;
            default:
                if (byLink)
                    await desk.AdvanceAsync(TimeSpan.FromDays(1));
                for (var call = 0; call < 3; call++)
                {
                    await desk.CompleteAsync("wang", number, "estimateApproval", "NotReached", new { notes = "No answer" });
                    await desk.AdvanceAsync(TimeSpan.FromHours(1));
                }
                if (visit.Customer.CanText && Chance(0.5))
                {
                    visit.Decision = "again";
                    await desk.CompleteAsync("wang", number, "noDecision", "SendAgain", new { });
                    await desk.ApproveByLinkAsync(number, "your service estimate is ready");
                    return true;
                }
                await desk.CompleteAsync("wang", number, "noDecision", "HandedBack", new { walkaround = "true" });
                return false;
        }
    }

    private async Task AdditionalWorkAsync(SimVisit visit)
    {
        var number = visit.Number;
        await desk.CompleteAsync("zhang", number, "work", "AdditionalWorkFound", new { description = "Rear brake discs", reason = "Scored", safety = "true", hours = "1", labour = "200", parts = "600" });
        var canText = visit.Customer.CanText;
        var roll = _random.NextDouble();
        visit.Extra = canText ? roll switch { < 0.45 => "approve", < 0.7 => "decline", < 0.85 => "phone", _ => "unreached" } : roll < 0.7 ? "phone" : "unreached";
        switch (visit.Extra)
        {
            case "approve":
                await desk.ApproveByLinkAsync(number, "our technician found additional work");
                break;
            case "decline":
                await desk.ApproveByLinkAsync(number, "our technician found additional work", [], decline: true);
                break;
            default:
                if (canText)
                    await desk.AdvanceAsync(TimeSpan.FromHours(4));
                if (visit.Extra == "phone")
                {
                    var yes = Chance(0.5);
                    visit.Extra = yes ? "phone" : "phone-decline";
                    await desk.CompleteAsync("wang", number, "authorization", "CustomerDecided", new { approved = yes ? (await LinesAsync(visit, "AdditionalWork"))[0] : "", notes = "On the phone" });
                    break;
                }
                for (var call = 0; call < 3; call++)
                {
                    await desk.CompleteAsync("wang", number, "authorization", "NotReached", new { notes = "No answer" });
                    await desk.AdvanceAsync(TimeSpan.FromHours(1));
                }
                break;
        }
    }

    /// <summary>The lines of the visit's latest estimate of a kind (Estimate, AdditionalWork) that the customer is asked about.</summary>
    private async Task<List<string>> LinesAsync(SimVisit visit, string kind) =>
        [.. (await desk.VisitAsync(visit.Id)).GetProperty("estimates").EnumerateArray().Last(e => e.GetProperty("kind").GetString() == kind)
            .GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("lineKey").GetString()!)];

    private async Task StopAsync(SimCustomer customer)
    {
        await ReplyAsync(customer, "STOP");
        customer.StoppedAt = Now;
    }

    private async Task ReplyAsync(SimCustomer customer, string body)
    {
        var response = await TwilioRequests.PostSignedAsync(desk.Host.CreateClient(), "http://localhost:5080", "/twilio/inbound",
            new Dictionary<string, string> { ["MessageSid"] = $"SM-sim-{++_twilioSid}", ["From"] = customer.Phone, ["To"] = ServiceDesk.TwilioFrom, ["Body"] = body }, "process-test-token");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// Every message, once the outbox has handed each one due to the provider (or blocked it): what customers answer
    /// must not depend on how fast a background send was, or the seed would not replay.
    /// </summary>
    private async Task<List<OutboxRecord>> AllMessagesAsync()
    {
        await desk.Host.Services.GetRequiredService<Followup.Host.Messaging.OutboxJobs>().SweepAsync(CancellationToken.None);
        return await Poll.UntilAsync(() => desk.Host.Outbox.ListAsync(null, int.MaxValue, CancellationToken.None),
            all => all.All(m => OutboxStatus.IsFinal(m.Status) || m.NotBefore > Now), what: "the outbox to settle");
    }

    private async Task<List<JsonElement>> OpenTasksAsync() =>
        [.. (await (await desk.StaffAsync("liu")).GetFromJsonAsync<JsonElement>("/api/tasks?all=true")).GetProperty("items").EnumerateArray()];

    private static bool Is(JsonElement task, string correlationId, string activityId) =>
        task.GetProperty("correlationId").GetString() == correlationId && task.GetProperty("activityId").GetString() == activityId;

    private static readonly Dictionary<string, string> Staff = new(StringComparer.Ordinal)
    {
        ["Advisor"] = "wang", ["Technician"] = "zhou", ["CallbackAgent"] = "chen", ["Manager"] = "liu", ["TechnicalLead"] = "lead",
    };

    /// <summary>
    /// Staff work every open task of the aftercare (callbacks, return visits, no-shows, reminder and declined-work calls,
    /// comeback reviews, escalations), each answer drawn from the random source; customers answer what they were sent.
    /// </summary>
    private async Task WorkTheInboxAsync()
    {
        // What the clock made due is done first (timers fire on Hangfire's workers too), so every run sees the same inbox.
        var monitor = desk.Host.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        await Poll.UntilAsync(() => Task.FromResult(monitor.ProcessingCount() + monitor.Queues().Sum(q => q.Length)), n => n == 0, what: "Hangfire's queues to empty");
        await CustomersAnswerAsync();
        for (var round = 0; round < 5; round++)
        {
            var tasks = (await OpenTasksAsync()).Where(t => !_visits.Any(v => v.EndedAt is null && v.Number == t.GetProperty("correlationId").GetString())).ToList();
            if (tasks.Count == 0)
                return;
            foreach (var task in tasks)
            {
                var activity = task.GetProperty("activityId").GetString()!;
                var user = task.GetProperty("assigneeUser").GetString() ?? Staff[task.GetProperty("assigneeRole").GetString()!];
                Draw($"task:{task.GetProperty("correlationId")}:{activity}:{task.GetProperty("title")}:{task.GetProperty("dueAt")}");
                var (action, values) = Answer(activity);
                Took($"{activity}:{action}{(values.GetType().GetProperty("result")?.GetValue(values) is string result ? ":" + result : "")}");
                var response = await (await desk.StaffAsync(user)).PostAsJsonAsync($"/api/tasks/{task.GetProperty("id").GetString()}/complete", new { action, values });
                Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"{activity} by {user}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    private (string Action, object Values) Answer(string activity)
    {
        switch (activity)
        {
            case "callback":
                if (Chance(0.45))
                    return ("NoAnswer", new { });
                var score = _random.Next(1, 6);
                _scoresGiven.Add(score);
                return ("Reached", new { score = score.ToString(CultureInfo.InvariantCulture), resolved = Chance(0.9) ? "yes" : "no", comments = "As told" });
            case "returnVisit":
                return (Pick(new[] { "Booked", "CustomerDeclined", "NotReached" }), new { note = "Called" });
            case "noShow":
                return ("Done", new { result = Pick(new[] { "rebooked", "cancelled", "unreachable" }) });
            case "rootCause":
                return ("Done", new { rootCause = "Loose connector", fix = "Refitted and tested" });
            case "reminder":
                return ("Done", new { result = Pick(new[] { "declined", "unreachable", "booked" }), notes = "Called" });
            case "followUp":
                return ("Done", new { result = Pick(new[] { "booked", "declined", "unreachable" }), notes = "Called" });
            default: // the manager's escalation and review
                return ("Done", new { action = "Called the customer", notes = "Reviewed" });
        }
    }

    /// <summary>Customers answer surveys with a score (or words), and book from some reminders and declined-work messages.</summary>
    private async Task CustomersAnswerAsync()
    {
        foreach (var message in (await AllMessagesAsync()).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal))
        {
            if (message.Channel != Channels.Sms || message.Status != OutboxStatus.Sent || !_answeredMessages.Add(message.Id))
                continue;
            var text = ServiceDesk.Text(message);
            Draw($"message:{message.CorrelationId}:{message.ActivityId}:{message.CreatedAt.Ticks}");
            var customer = _customers.FirstOrDefault(c => c.Phone == message.Recipient);
            if (customer is null)
                continue;
            if (text.Contains("Please reply with a score", StringComparison.Ordinal) && Chance(0.8))
            {
                var score = _random.Next(1, 6);
                var words = Chance(0.3);
                await ReplyAsync(customer, words ? $"Your store is {score} times too slow" : score.ToString(CultureInfo.InvariantCulture));
                if (!words)
                    _scoresGiven.Add(score);
                Took(words ? "survey:words" : "survey:score");
            }
            else if ((text.Contains("is due for service around", StringComparison.Ordinal) || text.Contains("we recommended work that is not done yet", StringComparison.Ordinal)) && Chance(0.3))
            {
                await desk.BookByLinkAsync(message);
                Took(text.Contains("due for service", StringComparison.Ordinal) ? "booked-from:reminder" : "booked-from:declined-work");
            }
        }
    }

    /// <summary>Months after the last visit: callbacks on days 2–3, declined-work follow-ups, reminders and their overdue messages.</summary>
    private async Task AftercareAsync()
    {
        for (var hours = 0; hours < 24 * 5; hours += 2)
        {
            await desk.AdvanceAsync(TimeSpan.FromHours(2));
            await WorkTheInboxAsync();
        }
        for (var day = 0; day < 420; day += 3)
        {
            await desk.AdvanceAsync(TimeSpan.FromDays(3));
            await WorkTheInboxAsync();
        }
        log($"aftercare done by {StoreTime(Now):yyyy-MM-dd}");
    }

    private async Task CheckInvariantsAsync()
    {
        await using var db = await desk.Host.Services.GetRequiredService<IDbContextFactory<DealershipDbContext>>().CreateDbContextAsync();
        var failures = new List<string>();

        // Every visit ends in a state with a reason: delivered with a settled bill, or handed back with the estimate declined or unanswered.
        var visits = await db.Visits.AsNoTracking().ToDictionaryAsync(v => v.Id);
        var invoices = await db.Invoices.AsNoTracking().Include(i => i.Lines).ToDictionaryAsync(i => i.VisitId);
        var estimates = await db.Estimates.AsNoTracking().Include(e => e.Lines).ToListAsync();
        foreach (var sim in _visits)
        {
            var visit = visits[sim.Id];
            var estimate = estimates.FirstOrDefault(e => e.VisitId == sim.Id && e.Kind == EstimateKind.Estimate);
            var handedBack = sim.Decision is "decline" or "phone-none" or "unreached";
            if (visit.Status != VisitStatus.Delivered)
                failures.Add($"{sim.Number} ({sim.Decision}) ends {visit.Status}");
            else if (handedBack ? invoices.ContainsKey(sim.Id) || estimate?.Status is not (EstimateStatus.Declined or EstimateStatus.TimedOut) : invoices.GetValueOrDefault(sim.Id)?.Status != InvoiceStatus.Settled)
                failures.Add($"{sim.Number} ({sim.Decision}) delivered without its reason: estimate {estimate?.Status}, invoice {invoices.GetValueOrDefault(sim.Id)?.Status}");
        }

        // No workflow faulted or left waiting on nothing: after the aftercare every instance has finished and no task is open.
        var (instances, _) = await desk.Host.Queries.QueryInstancesAsync(new Followup.Workflows.Persistence.InstanceQuery { PageSize = 5000 }, CancellationToken.None);
        foreach (var instance in instances.Where(i => i.Status != "Finished" || i.SubStatus != "Finished"))
            failures.Add($"{instance.DefinitionId} {instance.CorrelationId} is {instance.Status}/{instance.SubStatus}");
        foreach (var task in await OpenTasksAsync())
            failures.Add($"task {task.GetProperty("activityId")} of {task.GetProperty("correlationId")} still open");

        // No message without the consent its kind needs, and nothing texted after a STOP.
        var customers = await db.Customers.AsNoTracking().ToListAsync();
        var sent = (await AllMessagesAsync()).OrderBy(m => m.CreatedAt).Where(m => m.Status is OutboxStatus.Sent or OutboxStatus.Delivered).ToList();
        foreach (var message in sent)
        {
            var payload = MessagePayload.FromJson(message.Payload);
            var customer = message.Channel == Channels.Sms ? customers.FirstOrDefault(c => c.Phone == message.Recipient) : customers.FirstOrDefault(c => c.Email == message.Recipient);
            var sim = _customers.FirstOrDefault(c => c.Id == customer?.Id);
            if (customer is null || sim is null)
                failures.Add($"{message.Channel} to {message.Recipient}: no customer");
            else if (message.Channel == Channels.Sms && (!sim.Sms || (!payload.Transactional && !sim.Marketing) || message.CreatedAt > sim.StoppedAt))
                failures.Add($"SMS to {sim.Serial} without its consent ({(payload.Transactional ? "service" : "marketing")}, stopped {sim.StoppedAt:O}): {payload.Text}");
            else if (message.Channel == Channels.Email && (!sim.Email || (!payload.Transactional && !sim.Marketing)))
                failures.Add($"email to {sim.Serial} without its consent: {payload.Subject}");
        }

        // No customer told of a decision they did not make; every promise sent matches the visit's record; the ready notice names the bill.
        foreach (var sim in _visits)
        {
            var texts = sent.Where(m => m.CorrelationId == sim.Number && m.Channel == Channels.Sms).Select(ServiceDesk.Text).ToList();
            var declinedSomething = sim.Decision is "some" or "decline" or "phone" or "phone-none" || sim.Extra is "decline" or "phone-decline";
            if (!declinedSomething && texts.FirstOrDefault(t => Refusals.Any(r => t.Contains(r, StringComparison.OrdinalIgnoreCase))) is { } told)
                failures.Add($"{sim.Number} ({sim.Decision}/{sim.Extra}) was told of a refusal: {told}");
            if (texts.LastOrDefault(t => t.Contains(" ready by ", StringComparison.Ordinal)) is { } promise)
            {
                var promised = PromiseRegex().Match(promise).Groups[1].Value;
                var recorded = visits[sim.Id].PromisedAt is { } at ? StoreTime(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "none";
                if (promised != recorded)
                    failures.Add($"{sim.Number} was promised {promised}, the record says {recorded}");
            }
            if (texts.LastOrDefault(t => t.Contains("Amount due:", StringComparison.Ordinal)) is { } ready && invoices.GetValueOrDefault(sim.Id) is { } invoice
                && decimal.Parse(AmountRegex().Match(ready).Groups[1].Value, CultureInfo.InvariantCulture) != invoice.Total)
                failures.Add($"{sim.Number} was told {AmountRegex().Match(ready).Value}, the bill is {invoice.Total}");
        }

        // The dashboard's figures equal the ones recomputed from the raw records and from what the simulation did.
        var kpis = await (await desk.StaffAsync("liu")).GetFromJsonAsync<JsonElement>("/api/kpis?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z");
        (int, int) R(string name) => (kpis.GetProperty(name).GetProperty("count").GetInt32(), kpis.GetProperty(name).GetProperty("of").GetInt32());
        void Same<T>(string name, T dashboard, T expected)
        {
            if (!EqualityComparer<T>.Default.Equals(dashboard, expected))
                failures.Add($"dashboard {name} is {dashboard}, recomputed {expected}");
        }
        Same("visits", kpis.GetProperty("visits").GetInt32(), _visits.Count);
        var main = estimates.Where(e => e.Kind == EstimateKind.Estimate && e.Status != EstimateStatus.Pending).ToList();
        Same("estimateApproval", R("estimateApproval"), (main.Count(e => e.Status is EstimateStatus.Approved or EstimateStatus.PartiallyApproved), main.Count));
        var extra = estimates.Where(e => e.Kind == EstimateKind.AdditionalWork).SelectMany(e => e.Lines).Where(l => l.Approved != null).ToList();
        Same("additionalWorkApproval", R("additionalWorkApproval"), (extra.Count(l => l.Approved == true), extra.Count));
        Same("comebacks", R("comebacks"), (_expectedComebacks, _visits.Count));
        Same("comebacks recorded", await db.Comebacks.CountAsync(), _expectedComebacks);
        var scores = kpis.GetProperty("satisfaction").EnumerateArray().Select(s => s.GetInt32()).ToList();
        Same("satisfaction", string.Join(",", scores), string.Join(",", Enumerable.Range(1, 5).Select(s => _scoresGiven.Count(x => x == s))));
        var reminders = await db.Reminders.AsNoTracking().Where(r => r.SentAt != null).ToListAsync();
        (int, int) Booked(string kind) => (reminders.Count(r => r.Kind == kind && r.Status == ReminderStatus.Booked), reminders.Count(r => r.Kind == kind));
        Same("reminderBooking", R("reminderBooking"), Booked(ReminderKind.Service));
        Same("declinedWorkBooked", R("declinedWorkBooked"), Booked(ReminderKind.DeclinedWork));
        var appointments = await db.Appointments.AsNoTracking().ToListAsync();
        Same("appointmentShow", R("appointmentShow"), (appointments.Count(a => a.Status == AppointmentStatus.Arrived), appointments.Count(a => a.Status is AppointmentStatus.Arrived or AppointmentStatus.NoShow)));
        Same("arrivals", appointments.Count(a => a.Status == AppointmentStatus.Arrived), _arrived);
        var callbacks = await db.Callbacks.AsNoTracking().ToListAsync();
        var delivered = visits.Values.Where(v => v.DeliveredAt != null).ToDictionary(v => v.Id);
        var due = callbacks.Where(c => delivered.ContainsKey(c.VisitId)).ToList();
        Same("callbackWithin3Days", R("callbackWithin3Days"), (due.Count(c => c.Status == CallbackStatus.Done && (StoreTime(c.DoneAt!.Value).Date - StoreTime(delivered[c.VisitId].DeliveredAt!.Value).Date).TotalDays <= 3), due.Count));

        // Every branch the simulation knows was taken at least once (with the standard seed).
        string[] branches = ["no-show", "comeback", "booked", "walk-in", "warranty:Covered", "warranty:NotCovered", "quality-check-failed", "stop",
            "estimate:all", "estimate:some", "estimate:decline", "estimate:phone", "estimate:phone-none", "estimate:unreached", "estimate:again", "estimate:nothing-priced",
            "additional:approve", "additional:decline", "additional:phone", "additional:phone-decline", "additional:unreached",
            "callback:NoAnswer", "callback:Reached", "survey:score", "survey:words", "returnVisit:Booked", "escalation:Done", "rootCause:Done",
            "booked-from:reminder", "booked-from:declined-work", "reminder:Done:booked", "followUp:Done:declined"];
        failures.AddRange(branches.Where(b => !_branches.ContainsKey(b)).Select(b => $"branch {b} never taken"));

        Assert.True(failures.Count == 0, $"{failures.Count} invariants broken:\n{string.Join("\n", failures.Take(40))}");
    }

    [GeneratedRegex(@"ready by (\d{4}-\d{2}-\d{2} \d{2}:\d{2})")]
    private static partial Regex PromiseRegex();

    [GeneratedRegex(@"Amount due: \D*(\d+\.\d{2})")]
    private static partial Regex AmountRegex();
}
