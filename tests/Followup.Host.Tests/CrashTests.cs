using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Followup.Workflows.Runtime;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

/// <summary>
/// The real host as a process, killed (SIGKILL, from a crash point) between two writes of a task completion, a
/// customer's decision, a message's dispatch and a visit's creation, then started again: every workflow moves on
/// exactly once, every SMS reaches Twilio exactly once, and a visit created with an idempotency key exists once.
/// </summary>
public sealed partial class CrashTests : IAsyncDisposable
{
    private const string Password = "advisor-pass-2026";
    private const string Customer = "+8613800138000";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "followup-crash-tests", Guid.NewGuid().ToString("N"));
    private TwilioFake? _twilio;
    private HostProcess? _host;

    /// <summary>A greeting task, a welcome SMS, then the estimate for the customer to approve by link.</summary>
    private static readonly string Flow = Workflow("crash-flow",
        [Activity("task", "Followup.HumanTask", string.Join(",", Input("titleEn", "String", "Greet the customer"), Input("language", "String", "en"), Input("assigneeRole", "String", "Advisor"))),
         Activity("welcome", "Followup.SendSms", string.Join(",", Input("to", "String", Customer), Input("language", "String", "en"), Input("textEn", "String", "Welcome, your car is with us."), Input("urgent", "Boolean", "true"))),
         Activity("approval", "Followup.EstimateApproval", string.Join(",",
             Input("customerName", "String", "Li Wei"), Input("phone", "String", Customer), Input("language", "String", "en"),
             Input("lines", "String", """[{ "id": "OIL", "description": "Oil change", "labour": 100, "parts": 200 }]"""))),
         WriteLine("done", "approved")],
        [Connection("task", "welcome"), Connection("welcome", "approval"), Connection("approval", "done", "Approved")]);

    /// <summary>The visit workflow a new visit starts: here only its first task.</summary>
    private static readonly string Visit = Workflow("service-visit",
        [Activity("reception", "Followup.HumanTask", string.Join(",", Input("titleEn", "String", "Reception"), Input("assigneeRole", "String", "Advisor")))], []);

    private async Task<HostProcess> OpenAsync(params (string File, string Json)[] more)
    {
        Directory.CreateDirectory(Path.Combine(_folder, "workflows"));
        File.WriteAllText(Path.Combine(_folder, "workflows", "crash-flow.json"), Flow);
        File.WriteAllText(Path.Combine(_folder, "workflows", "service-visit.json"), Visit);
        foreach (var (file, json) in more)
            File.WriteAllText(Path.Combine(_folder, "workflows", file), json);
        _twilio = await TwilioFake.StartAsync();
        var settings = new Dictionary<string, string>(_twilio.Settings())
        {
            ["ConnectionStrings__Followup"] = $"Data Source={Path.Combine(_folder, "followup.db")}",
            ["Hangfire__Storage"] = "InMemory",
            ["Engine__DefinitionsPath"] = Path.Combine(_folder, "workflows"),
            ["Messaging__QuietHoursStart"] = "00:00",
            ["Messaging__QuietHoursEnd"] = "00:00",
            ["HOME"] = Path.Combine(_folder, "home"),
        };
        _host = new HostProcess(_folder, settings);
        _host.Set("Messaging__PublicBaseUrl", _host.Api.BaseAddress!.ToString().TrimEnd('/'));
        var added = await _host.RunCommandAsync(Password, "users", "add", "li", "--role", "Advisor", "--language", "en", "--password-stdin");
        Assert.True(added.ExitCode == 0, added.Error);
        await _host.StartAsync();
        return _host;
    }

    /// <summary>Restarts the host with a crash point armed, runs <paramref name="act"/>, and waits for the point to kill the process.</summary>
    private static async Task CrashAsync(HostProcess host, string point, Func<Task> act)
    {
        await host.StopAsync();
        host.Set("Testing__CrashAt", point);
        await host.StartAsync();
        try
        {
            await act();
        }
        catch (HttpRequestException)
        {
            // The process died while answering.
        }
        await host.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains($"crash point {point} reached", host.Output, StringComparison.Ordinal);
        host.Set("Testing__CrashAt", null);
        await host.StartAsync();
    }

    private static async Task<string?> OpenTaskAsync(HttpClient advisor, string instanceId) =>
        (await advisor.GetFromJsonAsync<JsonElement>("/api/tasks")).GetProperty("items").EnumerateArray()
            .Where(t => t.GetProperty("instanceId").GetString() == instanceId).Select(t => t.GetProperty("id").GetString()).FirstOrDefault();

    private static Task<HttpResponseMessage> CompleteAsync(HttpClient advisor, string taskId) =>
        advisor.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { action = "Done", values = new { } });

    private async Task<string> LinkAsync()
    {
        var sent = await Poll.UntilAsync(() => Task.FromResult(_twilio!.Accepted.ToList()), l => l.Any(m => ShortLink.Pattern().IsMatch(m.Body)), what: "the approval link");
        using var phone = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host!.Api.BaseAddress };
        return await ShortLink.PathAsync(phone, sent.First(m => ShortLink.Pattern().IsMatch(m.Body)).Body);
    }

    /// <summary>The customer approves on the page of the link; the answer's status.</summary>
    private async Task<HttpStatusCode> ApproveAsync(string link)
    {
        var phone = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _host!.Api.BaseAddress };
        var page = await phone.GetAsync(link);
        if (page.StatusCode != HttpStatusCode.OK)
            return page.StatusCode;
        var response = await phone.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HostFactory.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
            ["line"] = "OIL", ["signedName"] = "Li Wei", ["consent"] = "true", ["decision"] = "approve",
        }));
        return response.StatusCode;
    }

    private static int Count(List<JsonElement> journal, string activityId, string eventName) =>
        journal.Count(j => j.GetProperty("activityId").GetString() == activityId && j.GetProperty("eventName").GetString() == eventName);

    /// <summary>
    /// A task's completed row and its workflow's resume are one burst, written in one transaction: the only place to
    /// die "between the task's write and the resume" is just before that commit (nothing done: the advisor completes it
    /// again) or just after it (all done: a second completion gets 409). A customer's decision is the same.
    /// </summary>
    [Theory]
    [InlineData(CrashPoint.BurstCommitting, "task")]
    [InlineData(CrashPoint.BurstCommitted, "task")]
    [InlineData(CrashPoint.MessageHandedOver, "task")]
    [InlineData(CrashPoint.MessageAccepted, "task")]
    [InlineData(CrashPoint.BurstCommitting, "approval")]
    [InlineData(CrashPoint.BurstCommitted, "approval")]
    public async Task A_kill_between_two_writes_of_a_decision_loses_nothing_and_does_nothing_twice(string point, string decision)
    {
        var host = await OpenAsync();
        var id = await Poll.StartAsync(host.Api, "crash-flow");
        var advisor = await host.SignInAsync("li", Password);
        var taskId = await Poll.UntilAsync(() => OpenTaskAsync(advisor, id), t => t != null, what: "the task");
        string? link = null;
        if (decision == "approval")
        {
            Assert.Equal(HttpStatusCode.NoContent, (await CompleteAsync(advisor, taskId!)).StatusCode);
            link = await LinkAsync();
        }

        await CrashAsync(host, point, async () =>
        {
            if (decision == "task")
                await CompleteAsync(await host.SignInAsync("li", Password), taskId!);
            else
                await ApproveAsync(link!);
        });

        // Whatever the crash left undone is done again, once; what it finished is refused the second time.
        advisor = await host.SignInAsync("li", Password);
        if (decision == "task")
        {
            var again = await CompleteAsync(advisor, taskId!);
            Assert.Equal(point == CrashPoint.BurstCommitting ? HttpStatusCode.NoContent : HttpStatusCode.Conflict, again.StatusCode);
            link = await LinkAsync();
            Assert.Equal(HttpStatusCode.OK, await ApproveAsync(link));
        }
        else
        {
            Assert.Equal(point == CrashPoint.BurstCommitting ? HttpStatusCode.OK : HttpStatusCode.Gone, await ApproveAsync(link!));
        }

        Assert.Equal("Finished", await Poll.UntilAsync(() => Poll.SubStatusAsync(host.Api, id), s => s is "Finished" or "Faulted", TimeSpan.FromSeconds(60), "the workflow"));
        var journal = await Poll.JournalAsync(host.Api, id);
        Assert.Equal(1, Count(journal, "task", "Completed"));
        Assert.Equal(1, Count(journal, "welcome", "Completed"));
        Assert.Equal(1, Count(journal, "approval", "Completed"));
        Assert.Equal(1, Count(journal, "done", "Completed"));
        // Both messages reached Twilio, each once, and the outbox knows it.
        var messages = await Poll.UntilAsync(async () => (await host.Api.GetFromJsonAsync<JsonElement>("/api/messages")).GetProperty("items").EnumerateArray().ToList(),
            l => l.Count == 2 && l.All(m => m.GetProperty("status").GetString() == "Sent"), TimeSpan.FromSeconds(90), "both messages sent");
        Assert.Equal(2, messages.Count);
        Assert.Equal(2, _twilio!.Accepted.Count);
        Assert.Single(_twilio.Accepted, m => m.Body == "Followup: Welcome, your car is with us.");
    }

    /// <summary>A task, then a line written when it is done: the smallest workflow a completion moves on.</summary>
    private static readonly string Greeting = Workflow("greeting",
        [Activity("task", "Followup.HumanTask", string.Join(",", Input("titleEn", "String", "Greet the customer"), Input("assigneeRole", "String", "Advisor"))),
         WriteLine("done", "greeted")],
        [Connection("task", "done")]);

    /// <summary>
    /// Two hundred waiting tasks are completed by eight advisors at once while the host is killed (SIGKILL) twice in
    /// the middle of it. After each restart the advisors go on with what their inbox still shows and finish it: every
    /// instance moves on exactly once, a completion the host answered is never lost, and one that got no answer is
    /// either done or still open, never half done (the task row and the workflow commit together).
    /// </summary>
    [Fact]
    public async Task Two_hundred_completions_with_the_host_killed_twice_move_every_instance_on_exactly_once()
    {
        var host = await OpenAsync(("greeting.json", Greeting));
        var ids = new List<string>();
        for (var i = 0; i < 200; i++)
            ids.Add(await Poll.StartAsync(host.Api, "greeting"));
        var completedAnswers = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var unanswered = 0;

        async Task<int> CompleteSomeAsync(int? killAfter)
        {
            var advisor = await host.SignInAsync("li", Password);
            var open = (await advisor.GetFromJsonAsync<JsonElement>("/api/tasks")).GetProperty("items").EnumerateArray()
                .Where(t => ids.Contains(t.GetProperty("instanceId").GetString()!)).Select(t => t.GetProperty("id").GetString()!).ToList();
            var done = 0;
            var killed = 0;
            await Parallel.ForEachAsync(open, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (taskId, _) =>
            {
                try
                {
                    var response = await CompleteAsync(advisor, taskId);
                    Assert.Contains(response.StatusCode, new[] { HttpStatusCode.NoContent, HttpStatusCode.Conflict });
                    if (response.StatusCode == HttpStatusCode.NoContent)
                        completedAnswers.AddOrUpdate(taskId, 1, (_, n) => n + 1);
                    if (Interlocked.Increment(ref done) == killAfter && Interlocked.Exchange(ref killed, 1) == 0)
                        await host.KillAsync();
                }
                catch (HttpRequestException)
                {
                    // Killed while this completion was on its way: no answer.
                    Interlocked.Increment(ref unanswered);
                }
            });
            return open.Count;
        }

        Assert.Equal(200, await CompleteSomeAsync(killAfter: 50));
        await host.StartAsync();
        var second = await CompleteSomeAsync(killAfter: 40);
        Assert.InRange(second, 1, 150);
        await host.StartAsync();
        await CompleteSomeAsync(killAfter: null);

        // Nothing is left in the inbox and every instance ran its task and the step after it exactly once.
        var advisor = await host.SignInAsync("li", Password);
        Assert.DoesNotContain((await advisor.GetFromJsonAsync<JsonElement>("/api/tasks")).GetProperty("items").EnumerateArray(),
            t => ids.Contains(t.GetProperty("instanceId").GetString()!));
        foreach (var id in ids)
        {
            Assert.Equal("Finished", await Poll.SubStatusAsync(host.Api, id));
            var journal = await Poll.JournalAsync(host.Api, id);
            Assert.Equal(1, Count(journal, "task", "Completed"));
            Assert.Equal(1, Count(journal, "done", "Completed"));
        }
        // No task was answered "done" twice, and only completions that got no answer may have been done without one.
        Assert.All(completedAnswers.Values, n => Assert.Equal(1, n));
        Assert.InRange(completedAnswers.Count, 200 - unanswered, 200);
        Assert.True(unanswered > 0, "the kills did not interrupt any completion");
    }

    [Fact]
    public async Task A_visit_created_with_an_idempotency_key_exists_once_when_the_host_dies_while_starting_its_workflow()
    {
        var host = await OpenAsync();
        var customer = await host.Api.PostAsJsonAsync("/api/customers", new { name = "Crash Wang", phone = "+86 139 0000 0071", language = "en", smsConsent = true });
        var customerId = (await customer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var vehicle = await host.Api.PostAsJsonAsync("/api/vehicles", new { customerId, vin = ServiceDesk.Vin(71), plate = "沪B00071" });
        var vehicleId = (await vehicle.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Task<HttpResponseMessage> CreateAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/visits") { Content = JsonContent.Create(new { vehicleId }) };
            request.Headers.Add("Idempotency-Key", "dms-crash-1");
            return host.Api.SendAsync(request);
        }

        await CrashAsync(host, CrashPoint.BurstCommitting, CreateAsync);

        // The DMS never got its answer and tries again.
        var retried = await CreateAsync();
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        var number = (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString();
        Assert.Equal("RO-", number![..3]);
        var instances = (await host.Api.GetFromJsonAsync<JsonElement>("/elsa/api/workflow-instances?definitionId=service-visit")).GetProperty("items").EnumerateArray().ToList();
        Assert.Single(instances);
        Assert.Equal(number, instances[0].GetProperty("correlationId").GetString());
        var again = await CreateAsync();
        Assert.Equal(number, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_host != null)
            await _host.DisposeAsync();
        if (_twilio != null)
            await _twilio.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
