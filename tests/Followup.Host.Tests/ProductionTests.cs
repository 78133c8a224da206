using System.Net;

namespace Followup.Host.Tests;

/// <summary>
/// The host as an operator runs it: in Production on a fresh database (nobody can sign in until the first manager is
/// made on the command line), and as two processes with their own home folders sharing one database.
/// </summary>
public sealed class ProductionTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "followup-production-tests", Guid.NewGuid().ToString("N"));

    public ProductionTests() => Directory.CreateDirectory(Path.Combine(_folder, "none"));

    private HostProcess NewHost(string home, string environment = "Testing") => new(_folder, new Dictionary<string, string>
    {
        ["ASPNETCORE_ENVIRONMENT"] = environment,
        ["ConnectionStrings__Followup"] = $"Data Source={Path.Combine(_folder, "followup.db")}",
        ["Hangfire__Storage"] = "Sqlite",
        ["Hangfire__SqlitePath"] = Path.Combine(_folder, $"hangfire-{home}.db"),
        ["Engine__DefinitionsPath"] = Path.Combine(_folder, "none"),
        ["HOME"] = Path.Combine(_folder, home),
    });

    private static async Task<HttpStatusCode> SignInAsync(HostProcess host, string user, string password)
    {
        try
        {
            await host.SignInAsync(user, password);
            return HttpStatusCode.Redirect;
        }
        catch (InvalidOperationException)
        {
            return HttpStatusCode.BadRequest;
        }
    }

    [Fact]
    public async Task Wrong_settings_stop_the_host_at_start_naming_each_one_and_nothing_is_created()
    {
        await using var host = NewHost("home", environment: "Production");
        host.Set("Messaging__TimeZone", "Mars/Olympus");
        host.Set("Messaging__DefaultRegion", "XX");
        host.Set("Twilio__AccountSid", "AC123");
        host.Set("Smtp__Port", "0");
        host.Set("Hangfire__Storage", "Redis");
        host.Set("Hangfire__TimerHorizon", "00:01:00");
        host.Set("Webhooks__Endpoints__0__Url", "dms.example/hook");
        host.Set("Engine__MaxActivityExecutionsPerBurst", "5");
        var (exitCode, _, error) = await host.RunCommandAsync(null);
        Assert.Equal(2, exitCode);
        Assert.StartsWith("Followup cannot start: settings are wrong.", error, StringComparison.Ordinal);
        foreach (var key in new[] { "Messaging:TimeZone: an IANA time zone", "Messaging:DefaultRegion: a two-letter country code", "Twilio:AuthToken, From: needed too",
            "Smtp:Port: a port between 1 and 65535", "Hangfire:Storage: Sqlite, Postgres, InMemory", "Hangfire:TimerHorizon: five minutes or more", "Webhooks:Endpoints:0:Url: an http or https address",
            "Webhooks:Endpoints:0:Secret: at least 16 characters", "Engine:MaxActivityExecutionsPerBurst: at least 100" })
            Assert.Contains(key, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "followup.db")), "the database was created before the settings were checked");
    }

    [Fact]
    public async Task The_development_demo_starts_on_a_fresh_database_and_its_first_customer_link_waits_for_nothing()
    {
        // The demo's estimate step signs the first customer link inside the step's transaction: the key ring's first
        // key must already exist, or its insert waits on that transaction and the start fails with "database is locked".
        await using var host = NewHost("home", environment: "Development");
        host.Set("Demo__Seed", "true");
        host.Set("Engine__DefinitionsPath", Path.Combine(AppContext.BaseDirectory, "workflows-json"));
        await host.StartAsync();
        Assert.DoesNotContain("database is locked", host.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(host, "manager", "manager-demo-2026"));
    }

    [Fact]
    public async Task In_production_a_fresh_database_has_no_users_until_the_command_line_makes_the_first_manager()
    {
        await using var host = NewHost("home", environment: "Production");
        await host.StartAsync();
        Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(host, "manager", "manager-demo-2026"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient { BaseAddress = host.Api.BaseAddress }.GetAsync("/openapi/v1.json")).StatusCode);

        // A password is never taken from the command line, and a weak one is refused; neither makes a user.
        var onCommandLine = await host.RunCommandAsync(null, "users", "add", "boss", "--role", "Manager", "--password", "boss-pass-2026");
        Assert.Equal(2, onCommandLine.ExitCode);
        Assert.Contains("never taken from the command line", onCommandLine.Error, StringComparison.Ordinal);
        var weak = await host.RunCommandAsync("short", "users", "add", "boss", "--role", "Manager", "--password-stdin");
        Assert.Equal(2, weak.ExitCode);
        Assert.Contains("at least 10 characters", weak.Error, StringComparison.Ordinal);
        var badRole = await host.RunCommandAsync("boss-pass-2026", "users", "add", "boss", "--role", "Owner", "--password-stdin");
        Assert.Equal(2, badRole.ExitCode);

        var added = await host.RunCommandAsync("boss-pass-2026", "users", "add", "boss", "--role", "Manager", "--password-stdin");
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Contains("(Production)", added.Output, StringComparison.Ordinal);
        Assert.Equal(2, (await host.RunCommandAsync("boss-pass-2026", "users", "add", "boss", "--role", "Manager", "--password-stdin")).ExitCode);
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(host, "boss", "boss-pass-2026"));
        Assert.Contains("boss\tManager\tactive", (await host.RunCommandAsync(null, "users", "list")).Output, StringComparison.Ordinal);

        // Disabled from the command line, the account can no longer sign in.
        Assert.Equal(0, (await host.RunCommandAsync(null, "users", "disable", "boss")).ExitCode);
        Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(host, "boss", "boss-pass-2026"));
        Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(host, "manager", "manager-demo-2026"));
    }

    [Fact]
    public async Task Two_hosts_with_their_own_home_folders_on_one_database_honour_each_others_sign_in_and_so_does_a_restart()
    {
        await using var first = NewHost("home-a");
        var added = await first.RunCommandAsync("advisor-pass-2026", "users", "add", "li", "--role", "Advisor", "--password-stdin");
        Assert.True(added.ExitCode == 0, added.Error);
        await first.StartAsync();
        var cookies = new CookieContainer();
        var browser = await first.SignInAsync("li", "advisor-pass-2026", cookies);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/inbox/")).StatusCode);

        await using var second = NewHost("home-b");
        await second.StartAsync();
        // The same browser sent to the other host (as a load balancer would): its cookie and token are understood there.
        var elsewhere = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = second.Api.BaseAddress };
        foreach (var header in browser.DefaultRequestHeaders)
            elsewhere.DefaultRequestHeaders.Add(header.Key, header.Value);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/inbox/")).StatusCode);
        var claim = await elsewhere.PostAsync("/api/tasks/none/claim", null);
        Assert.Equal(HttpStatusCode.NotFound, claim.StatusCode);

        // The first host comes back with yet another home folder: the sign-in still holds.
        await first.StopAsync();
        first.Set("HOME", Path.Combine(_folder, "home-c"));
        await first.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/inbox/")).StatusCode);
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
