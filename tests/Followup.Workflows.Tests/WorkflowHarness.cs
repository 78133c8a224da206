using Followup.Testing;
using Followup.Workflows.Activities.Primitives;
using Followup.Workflows.Management;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Followup.Workflows.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Followup.Workflows.Tests;

/// <summary>
/// The engine on a real SQLite file in a temp folder, a fake clock and a fake timer scheduler: advancing the clock
/// fires due timers through the same runtime resume path the host's scheduler uses.
/// </summary>
public sealed class WorkflowHarness : IAsyncDisposable
{
    private readonly string _folder;
    private ServiceProvider _services;

    public WorkflowHarness(Action<IServiceCollection>? configure = null, string? dbPath = null, SqliteLogLimits? log = null)
    {
        Log = log ?? new();
        _folder = Path.Combine(Path.GetTempPath(), "followup-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        DbPath = dbPath ?? Path.Combine(_folder, "followup.db");
        Configure = configure;
        _services = Build();
    }

    public string DbPath { get; }
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    public List<string> Lines { get; } = [];
    public FakeTimerScheduler Timers { get; private set; } = null!;
    private Action<IServiceCollection>? Configure { get; }
    private SqliteLogLimits Log { get; }

    public IServiceProvider Services => _services;
    public IWorkflowRuntime Runtime => _services.GetRequiredService<IWorkflowRuntime>();
    public WorkflowDefinitionService Definitions => _services.GetRequiredService<WorkflowDefinitionService>();
    public IWorkflowRunStore Store => _services.GetRequiredService<IWorkflowRunStore>();
    public WorkflowQueries Queries => _services.GetRequiredService<WorkflowQueries>();
    public DefinitionStore DefinitionStore => _services.GetRequiredService<DefinitionStore>();

    private ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IConsoleOutput>(new ListOutput(Lines));
        services.AddSingleton<FakeTimerScheduler>();
        services.AddSingleton<ITimerScheduler>(sp => sp.GetRequiredService<FakeTimerScheduler>());
        services.AddFollowupWorkflows(WorkflowDatabase.Sqlite($"Data Source={DbPath}") with { Log = Log });
        services.AddActivitiesFrom(typeof(WorkflowHarness).Assembly);
        Configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        provider.InitializeWorkflowsAsync(CancellationToken.None).GetAwaiter().GetResult();
        Timers = provider.GetRequiredService<FakeTimerScheduler>();
        return provider;
    }

    /// <summary>Simulates a restart: a new service provider on the same database file.</summary>
    public async Task RestartAsync()
    {
        var pending = Timers.Pending.ToList();
        await _services.DisposeAsync();
        _services = Build();
        Timers.Restore(pending);
    }

    public async Task<string> ImportAsync(string json, bool publish = true)
    {
        var definition = await Definitions.ImportAsync(json, ImportMode.NewVersion, publish, CancellationToken.None);
        return definition.DefinitionId;
    }

    public Task<WorkflowRunResult> StartAsync(string definitionId, IReadOnlyDictionary<string, object?>? input = null, string? correlationId = null) =>
        Runtime.StartAsync(new StartWorkflowRequest { DefinitionId = definitionId, Input = input, CorrelationId = correlationId }, CancellationToken.None);

    public async Task<WorkflowRunResult> RunAsync(string json, IReadOnlyDictionary<string, object?>? input = null) =>
        await StartAsync(await ImportAsync(json), input);

    /// <summary>Moves the fake clock and resumes every timer that fell due.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        foreach (var due in Timers.TakeDue(Clock.GetUtcNow()))
            await Runtime.ResumeAsync(due.InstanceId, due.BookmarkId, null, CancellationToken.None);
    }

    public async Task<WorkflowInstanceRecord> InstanceAsync(string id) => (await Store.FindInstanceAsync(id, CancellationToken.None))!;

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class ListOutput(List<string> lines) : IConsoleOutput
    {
        public void WriteLine(string text)
        {
            lock (lines)
                lines.Add(text);
        }
    }
}
