using System.Diagnostics;
using System.Net;
using Followup.Host.Hosting;
using Followup.Host.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Followup.Benchmarks;

/// <summary>
/// The host in this process as it runs in Production (Kestrel on a loopback port, the shipped workflows, the engine
/// and Hangfire on SQLite files unless told otherwise, messages to the local outbox) on a fake clock, so months of
/// waiting pass at once. Staff sign in through the login form as a browser does.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    public const string Password = "bench-pass-2026";

    private BenchHost(WebApplication app, string folder, FakeTimeProvider clock, string address)
    {
        App = app;
        Folder = folder;
        Clock = clock;
        Address = address;
    }

    public WebApplication App { get; }
    public string Folder { get; }
    public FakeTimeProvider Clock { get; }
    public string Address { get; }
    public IServiceProvider Services => App.Services;

    /// <summary>Settings for a store in <paramref name="folder"/> on SQLite (the default).</summary>
    public static Dictionary<string, string?> SqliteSettings(string folder) => new()
    {
        ["ConnectionStrings:Followup"] = $"Data Source={Path.Combine(folder, "followup.db")}",
        ["Hangfire:SqlitePath"] = Path.Combine(folder, "hangfire.db"),
    };

    /// <summary>The store every benchmark runs: its name, attachments in <paramref name="folder"/>, messages at any hour.</summary>
    public static Dictionary<string, string?> StoreSettings(string folder) => new()
    {
        ["Storage:AttachmentsPath"] = Path.Combine(folder, "attachments"),
        ["Messaging:PublicBaseUrl"] = "http://127.0.0.1",
        ["Messaging:QuietHoursStart"] = "00:00",
        ["Messaging:QuietHoursEnd"] = "00:00",
        ["Store:Name"] = "浦东大众4S店",
        ["Store:NameEn"] = "Pudong VW",
    };

    /// <summary>
    /// Starts the host on <paramref name="folder"/> (created when missing) with the given settings; the time it took
    /// from building to ready is <see cref="StartedIn"/>.
    /// </summary>
    public static async Task<BenchHost> StartAsync(string folder, FakeTimeProvider clock, IDictionary<string, string?> settings)
    {
        Directory.CreateDirectory(folder);
        var started = Stopwatch.StartNew();
        var args = new List<string> { "--urls", "http://127.0.0.1:0" };
        var all = StoreSettings(folder);
        all["Hangfire:SweepGrace"] = "00:00:00";
        all["Logging:LogLevel:Default"] = "Error";
        foreach (var (k, v) in settings)
            all[k] = v;
        foreach (var (k, v) in all)
            args.AddRange([$"--{k}", v ?? ""]);
        // The host's own folder as its content root, as in the README's production set-up (`cd /opt/followup`), wherever
        // the benchmark is run from.
        var builder = FollowupHosting.CreateBuilder([.. args], AppContext.BaseDirectory);
        builder.AddFollowup();
        builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        var app = builder.Build();
        await app.InitializeFollowupAsync();
        app.MapFollowup();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var host = new BenchHost(app, folder, clock, address) { StartedIn = started.Elapsed };
        return host;
    }

    public TimeSpan StartedIn { get; private init; }

    public async Task AddStaffAsync(string userName, string role)
    {
        await using var scope = Services.CreateAsyncScope();
        await Followup.Host.Staff.StaffSetup.EnsureUserAsync(scope.ServiceProvider, userName, Password, userName, role, "en");
    }

    /// <summary>A browser signed in through the login form; its changes carry the page's antiforgery token.</summary>
    public static async Task<HttpClient> SignInAsync(string address, string userName, HttpMessageHandler? timing = null)
    {
        var cookies = new CookieContainer();
        var inner = new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = cookies, UseCookies = true, MaxConnectionsPerServer = 64 };
        var client = new HttpClient(timing is RequestTimer.Handler t ? t.Wrap(inner) : inner) { BaseAddress = new Uri(address) };
        return await Followup.Testing.HostProcess.SignInAsync(client, userName, Password);
    }

    public static string AntiforgeryToken(string page) => Followup.Testing.HostProcess.AntiforgeryToken(page);

    /// <summary>Moves the clock and runs the timer sweep, as its recurring job does: what fell due is resumed.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await Services.GetRequiredService<TimerSweep>().RunAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
