using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Followup.Testing;
using Npgsql;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

/// <summary>
/// Two host processes on the PostgreSQL the tests start, each with a home of its own as on two machines: they start
/// together on an empty database, see what the other publishes, trust each other's sign-ins and customer links, and
/// share the timers, one of them killed while they fall due.
/// </summary>
public sealed partial class SeveralHostsTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>, IDisposable
{
    private const string Password = "several-hosts-2026";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "followup-several-hosts", Guid.NewGuid().ToString("N"));

    private (HostProcess A, HostProcess B) Hosts(string database)
    {
        HostProcess Host(string name)
        {
            var home = Path.Combine(_root, name);
            Directory.CreateDirectory(home);
            return new HostProcess(home, new Dictionary<string, string>
            {
                ["Database__Provider"] = "Postgres",
                ["Hangfire__Storage"] = "Postgres",
                ["ConnectionStrings__Followup"] = database,
                ["Hangfire__InvisibilityTimeout"] = "00:00:30",
                ["Storage__AttachmentsPath"] = Path.Combine(home, "attachments"),
                ["Messaging__PublicBaseUrl"] = "http://localhost:5080",
            });
        }
        return (Host("a"), Host("b"));
    }

    private static string Hello(int version) => Workflow("hello", [Activity("start", "Elsa.Start"), WriteLine("say", $"version {version}"), Activity("end", "Elsa.End")],
        [Connection("start", "say"), Connection("say", "end")]);

    private static async Task<int> RunHelloAsync(HostProcess host)
    {
        var response = await host.Api.PostAsJsonAsync("/elsa/api/workflow-definitions/hello/execute", new { });
        if (response.StatusCode == HttpStatusCode.NotFound)
            return 0;
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("workflowState").GetProperty("definitionVersion").GetInt32();
    }

    [Fact]
    public async Task Started_together_on_an_empty_database_they_share_published_versions_sign_ins_and_customer_links()
    {
        var database = await postgres.CreateDatabaseAsync();
        var (a, b) = Hosts(database);
        await using var _ = a;
        await using var __ = b;
        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        Assert.DoesNotContain("42P07", a.Output + b.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("23505", a.Output + b.Output, StringComparison.Ordinal);
        var added = await a.RunCommandAsync(Password, "users", "add", "li", "--role", "Advisor", "--language", "en", "--password-stdin");
        Assert.True(added.ExitCode == 0, added.Output + added.Error);

        // Each version published on A is what B starts next, within a second.
        Assert.Equal(0, await RunHelloAsync(b));
        for (var version = 1; version <= 3; version++)
        {
            var model = JsonNode.Parse(Hello(version))!.AsObject();
            (await a.Api.PostAsJsonAsync("/elsa/api/workflow-definitions", new { model, publish = true })).EnsureSuccessStatusCode();
            var clock = Stopwatch.StartNew();
            var seen = await Poll.UntilAsync(() => RunHelloAsync(b), v => v == version || clock.Elapsed > TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), $"version {version} on B");
            output.WriteLine($"version {version} published on A ran on B after {clock.ElapsedMilliseconds} ms");
            Assert.Equal(version, seen);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"B ran version {version} only after {clock.ElapsedMilliseconds} ms");
        }

        // A notice lost with the listening connections (cut by the server) is made up for: B reloads when it listens
        // again, and a start checks the stored versions once a second anyway.
        await using (var admin = new NpgsqlConnection(database))
        {
            await admin.OpenAsync();
            await using var cut = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()", admin);
            Assert.Equal(2L, await cut.ExecuteScalarAsync());
        }
        (await a.Api.PostAsJsonAsync("/elsa/api/workflow-definitions", new { model = JsonNode.Parse(Hello(4)), publish = true })).EnsureSuccessStatusCode();
        Assert.Equal(4, await Poll.UntilAsync(() => RunHelloAsync(b), v => v == 4, TimeSpan.FromSeconds(3), "version 4 on B after the notices were lost"));

        // A sign-in on A is a sign-in on B.
        var cookies = new CookieContainer();
        await a.SignInAsync("li", Password, cookies);
        foreach (var cookie in cookies.GetCookies(a.Api.BaseAddress!).Cast<Cookie>())
            cookies.Add(b.Api.BaseAddress!, new Cookie(cookie.Name, cookie.Value, "/"));
        using var onB = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = b.Api.BaseAddress };
        var inbox = await onB.GetAsync("/inbox/?lang=en");
        Assert.Equal(HttpStatusCode.OK, inbox.StatusCode);

        // A customer's link made on A opens on B: the short code in the text, then the signed page.
        var estimate = Workflow("estimate", [Activity("start", "Elsa.Start"), Activity("approval", "Followup.EstimateApproval", string.Join(",",
            Input("customerName", "String", "Li Wei"), Input("phone", "String", "13800138000"), Input("language", "String", "en"),
            Input("lines", "String", """[{ "id": "OIL", "description": "Oil change", "labour": 160, "parts": 320 }]"""))), Activity("end", "Elsa.End")],
            [Connection("start", "approval"), Connection("approval", "end", "Approved")]);
        (await a.Api.PostAsJsonAsync("/elsa/api/workflow-definitions", new { model = JsonNode.Parse(estimate), publish = true })).EnsureSuccessStatusCode();
        (await a.Api.PostAsJsonAsync("/elsa/api/workflow-definitions/estimate/execute", new { })).EnsureSuccessStatusCode();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("""SELECT "Payload" FROM "Outbox" WHERE "Channel" = 'sms'""", connection);
        var text = JsonDocument.Parse((string)(await read.ExecuteScalarAsync())!).RootElement.GetProperty("text").GetString()!;
        using var phone = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = b.Api.BaseAddress };
        phone.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var link = await ShortLink.PathAsync(phone, text);
        var page = await phone.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Oil change", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Unprotect", a.Output + b.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_hundred_timers_finish_exactly_once_with_one_host_killed_while_they_fall_due_and_none_is_resumed_twice()
    {
        const int count = 200;
        var database = await postgres.CreateDatabaseAsync();
        var (a, b) = Hosts(database);
        await using var _ = a;
        await using var __ = b;
        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        (await a.Api.PostAsJsonAsync("/elsa/api/workflow-definitions", new { model = JsonNode.Parse(MultiNodeTests.DueTogether), publish = true })).EnsureSuccessStatusCode();

        var at = DateTimeOffset.UtcNow.AddSeconds(20);
        var hosts = new[] { a, b };
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await Poll.StartAsync(hosts[i % 2].Api, "due-together", new { At = at }));
        Assert.True(DateTimeOffset.UtcNow < at, "every timer was still pending when the last instance started");
        // A dies -9 just after the timers fall due, in the middle of resuming them.
        await Task.Delay(at - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300));
        await a.KillAsync();
        var killedAt = Stopwatch.StartNew();

        await Poll.UntilAsync(() => MultiNodeTests.CountAsync(b, "Finished"), n => n == count, TimeSpan.FromSeconds(150), "every instance to finish on B");
        output.WriteLine($"all {count} finished {killedAt.Elapsed.TotalSeconds:F1} s after A was killed");
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var perInstance = await MultiNodeTests.CompletionsPerInstanceAsync(connection);
        Assert.Equal(count, perInstance.Count);
        Assert.All(perInstance, n => Assert.Equal(1L, n));
        Assert.Empty(AlreadyConsumed().Matches(a.Output + b.Output));
    }

    [GeneratedRegex("already consumed")]
    private static partial Regex AlreadyConsumed();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
