using System.Net.Http.Headers;
using Followup.Workflows.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Followup.Host.Tests;

/// <summary>
/// The whole host in process on a real SQLite file, Hangfire's in-memory job store with a real server, a fake clock,
/// the test's own workflow definitions and an API key.
/// </summary>
public sealed class HostFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = Followup.Testing.HostProcess.ApiKey;

    public HostFactory(params (string File, string Json)[] workflows)
        : this(Path.Combine(Path.GetTempPath(), "followup-host-tests", Guid.NewGuid().ToString("N")))
    {
        Directory.CreateDirectory(Path.Combine(Folder, "workflows"));
        foreach (var (file, json) in workflows)
            File.WriteAllText(Path.Combine(Folder, "workflows", file), json);
    }

    private HostFactory(string folder) => Folder = folder;

    /// <summary>A second host on the folder (database, definitions) of one disposed with <see cref="KeepsFolder"/>.</summary>
    public static HostFactory Over(string folder) => new(folder);

    public string Folder { get; }
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    public Dictionary<string, string?> Settings { get; } = [];
    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>The host's environment: Testing unless a test needs another (Development, Production).</summary>
    public string Environment { get; init; } = "Testing";

    /// <summary>Leaves the folder (database, definitions) in place when disposed, for a second host to start on it.</summary>
    public bool KeepsFolder { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Followup"] = $"Data Source={Path.Combine(Folder, "followup.db")}",
            ["Hangfire:Storage"] = "InMemory",
            ["Hangfire:SchedulePollInterval"] = "00:00:00.200",
            ["Engine:DefinitionsPath"] = Path.Combine(Folder, "workflows"),
            ["Elsa:ApiKeys:0"] = ApiKey,
            ["Storage:AttachmentsPath"] = Path.Combine(Folder, "attachments"),
            ["Logging:LogLevel:Default"] = System.Environment.GetEnvironmentVariable("FOLLOWUP_TEST_LOG") ?? "Warning",
        };
        foreach (var (k, v) in Settings)
            settings[k] = v;
        foreach (var (k, v) in settings)
            builder.UseSetting(k, v);
        builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            TestServices?.Invoke(services);
        });
    }

    /// <summary>The host on a real loopback port (Kestrel), for a browser; returns its base address.</summary>
    public string StartKestrel()
    {
        UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        _kestrel = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return _kestrel;
    }

    private string? _kestrel;

    /// <summary>Client options that reach the server, in memory or (once started) on Kestrel.</summary>
    public WebApplicationFactoryClientOptions ClientOptionsFor(bool redirects = true, bool cookies = true) =>
        new() { AllowAutoRedirect = redirects, HandleCookies = cookies, BaseAddress = new Uri(_kestrel ?? "http://localhost") };

    /// <summary>A client that does not follow redirects, in memory or on Kestrel (where the factory's client follows them itself).</summary>
    public HttpClient NoRedirectClient() => _kestrel is null
        ? CreateClient(ClientOptionsFor(redirects: false))
        : new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_kestrel) };

    /// <summary>Creates a staff member with a role.</summary>
    public async Task AddStaffAsync(string userName, string password, string role)
    {
        await using var scope = Services.CreateAsyncScope();
        await Followup.Host.Staff.StaffSetup.EnsureUserAsync(scope.ServiceProvider, userName, password, userName, role, "en");
    }

    /// <summary>A client signed in through the login form (cookie and antiforgery token as a browser has them).</summary>
    public async Task<HttpClient> SignedInAsync(string userName, string password, bool sendAntiforgeryToken = true)
    {
        var client = CreateClient(ClientOptionsFor(redirects: false));
        var form = await client.GetStringAsync("/account/login");
        var token = AntiforgeryToken(form);
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["UserName"] = userName,
            ["Password"] = password,
            ["ReturnUrl"] = "/",
        }));
        // On Kestrel the client follows the redirect itself: signed in is then the page after the form, not the form again.
        var signedIn = response.StatusCode == System.Net.HttpStatusCode.Redirect
            || (_kestrel != null && response.IsSuccessStatusCode && response.RequestMessage?.RequestUri?.AbsolutePath != "/account/login");
        if (!signedIn)
            throw new InvalidOperationException($"Sign-in of {userName} failed: {response.StatusCode}");
        // As a page's script would: the signed-in page's antiforgery token goes with every change.
        if (sendAntiforgeryToken)
            client.DefaultRequestHeaders.Add(Followup.Host.Security.HttpSecurity.AntiforgeryHeader, AntiforgeryToken(await client.GetStringAsync("/")));
        return client;
    }

    /// <summary>The antiforgery token of a page's form, as a browser would post it back.</summary>
    public static string AntiforgeryToken(string page) => Followup.Testing.HostProcess.AntiforgeryToken(page);

    public HttpClient Api()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", ApiKey);
        return client;
    }

    public IWorkflowRunStore RunStore => Services.GetRequiredService<IWorkflowRunStore>();
    public WorkflowQueries Queries => Services.GetRequiredService<WorkflowQueries>();
    public DefinitionStore Definitions => Services.GetRequiredService<DefinitionStore>();
    public Followup.Activities.Messaging.OutboxStore Outbox => Services.GetRequiredService<Followup.Activities.Messaging.OutboxStore>();
    public Followup.Activities.Messaging.ConsentStore Consents => Services.GetRequiredService<Followup.Activities.Messaging.ConsentStore>();
    public Followup.Activities.Tasks.TaskStore Tasks => Services.GetRequiredService<Followup.Activities.Tasks.TaskStore>();
    public Followup.Activities.Approvals.ApprovalStore Approvals => Services.GetRequiredService<Followup.Activities.Approvals.ApprovalStore>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        if (KeepsFolder)
            return;
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
