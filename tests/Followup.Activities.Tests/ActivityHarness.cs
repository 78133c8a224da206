using Followup.Activities.Approvals;
using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Activities.Tasks;
using Followup.Testing;
using Followup.Workflows;
using Followup.Workflows.Management;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Followup.Workflows.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static Followup.Workflows.Tests.Json;

namespace Followup.Activities.Tests;

/// <summary>
/// One dealership activity at a time, run as the only step of a workflow on the real engine and a real SQLite file,
/// with the fake clock (timers fire when it passes them), a store with one customer, one car and one open visit, and
/// the records, tasks, approvals and messages the activity writes there to read back.
/// </summary>
public sealed class ActivityHarness : IAsyncDisposable
{
    public const string VisitId = "visit-1";
    public const string Number = "RO-2026-000001";
    public const string Phone = "+8613800138000";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "followup-activity-tests", Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _services;
    private int _definitions;

    private ActivityHarness(Dictionary<string, string?>? settings)
    {
        Directory.CreateDirectory(_folder);
        var database = WorkflowDatabase.Sqlite($"Data Source={Path.Combine(_folder, "followup.db")}");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<FakeTimerScheduler>();
        services.AddSingleton<ITimerScheduler>(sp => sp.GetRequiredService<FakeTimerScheduler>());
        services.AddSingleton<ICustomerLinks, TestLinks>();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddFollowupWorkflows(database);
        services.AddFollowupActivities(configuration, database);
        services.AddActivitiesFrom(typeof(ActivityHarness).Assembly);
        _services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
    public IServiceProvider Services => _services;
    public IWorkflowRuntime Runtime => _services.GetRequiredService<IWorkflowRuntime>();
    public FakeTimerScheduler Timers => _services.GetRequiredService<FakeTimerScheduler>();

    /// <summary>A harness with the demo store's records: customer Li Wei (SMS and email consent, English), car 沪A12345, visit RO-2026-000001 in reception.</summary>
    public static async Task<ActivityHarness> OpenAsync(Dictionary<string, string?>? settings = null, Action<Customer>? customer = null)
    {
        var harness = new ActivityHarness(settings);
        await harness._services.InitializeWorkflowsAsync(CancellationToken.None);
        await harness._services.InitializeActivitiesAsync(CancellationToken.None);
        await using var db = await harness.DbAsync();
        var now = harness.Clock.GetUtcNow().UtcDateTime;
        var person = new Customer { Id = "customer-1", Name = "Li Wei", Phone = Phone, Email = "li.wei@example.com", Language = "en", SmsConsent = true, EmailConsent = true, MarketingConsent = true, CreatedAt = now, UpdatedAt = now };
        customer?.Invoke(person);
        db.Customers.Add(person);
        db.Vehicles.Add(new Vehicle { Id = "vehicle-1", CustomerId = "customer-1", Vin = Vin.WithCheckDigit("LSVAU2180N0000001"), Plate = "沪A12345", Model = "Lavida", CreatedAt = now });
        db.Visits.Add(new Visit { Id = VisitId, Number = Number, CustomerId = "customer-1", VehicleId = "vehicle-1", Advisor = "wang", CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync();
        return harness;
    }

    public Task<DealershipDbContext> DbAsync() => _services.GetRequiredService<IDbContextFactory<DealershipDbContext>>().CreateDbContextAsync();

    /// <summary>Runs <paramref name="activity"/> (Elsa JSON of one activity, id "step") as a workflow of its own, correlated with the visit.</summary>
    public Task<WorkflowRunResult> RunAsync(string activity, IReadOnlyDictionary<string, object?>? input = null, string variables = "") =>
        RunFlowAsync([activity], [], input, variables);

    /// <summary>Starts a flowchart of <paramref name="activities"/> joined by <paramref name="connections"/>, correlated with the visit.</summary>
    public async Task<WorkflowRunResult> RunFlowAsync(string[] activities, string[] connections, IReadOnlyDictionary<string, object?>? input = null, string variables = "")
    {
        var definition = await _services.GetRequiredService<WorkflowDefinitionService>().ImportAsync(
            Workflow($"activity-test-{++_definitions}", activities, connections, variables.Length == 0 ? "" : $"\"variables\": [{variables}],"),
            ImportMode.NewVersion, publish: true, CancellationToken.None);
        return await Runtime.StartAsync(new StartWorkflowRequest { DefinitionId = definition.DefinitionId, CorrelationId = Number, Input = input }, CancellationToken.None);
    }

    /// <summary>Runs <paramref name="activity"/> and expects it to finish at once; returns its outcome.</summary>
    public async Task<(WorkflowRunResult Result, string Outcome)> CompleteAsync(string activity, IReadOnlyDictionary<string, object?>? input = null, string variables = "")
    {
        var result = await RunAsync(activity, input, variables);
        Assert.True(result.SubStatus == WorkflowSubStatus.Finished, $"{result.SubStatus}: {string.Join("; ", result.Incidents.Select(i => i.Message))}");
        return (result, await OutcomeAsync(result.InstanceId));
    }

    /// <summary>The outcome the step completed with, from the journal ("Done" when it named none).</summary>
    public async Task<string> OutcomeAsync(string instanceId) =>
        (await _services.GetRequiredService<WorkflowQueries>().ListJournalAsync(instanceId, CancellationToken.None))
            .LastOrDefault(j => j.ActivityId == "step" && j.EventName == "Completed")?.Message ?? "Done";

    public async Task<WorkflowInstanceRecord> InstanceAsync(string id) => (await _services.GetRequiredService<WorkflowQueries>().FindInstanceAsync(id, CancellationToken.None))!;

    /// <summary>Moves the fake clock and resumes every timer that fell due, as the host's scheduler would.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        foreach (var due in Timers.TakeDue(Clock.GetUtcNow()))
            await Runtime.ResumeAsync(due.InstanceId, due.BookmarkId, null, CancellationToken.None);
    }

    /// <summary>A message's text with each short link (<c>/s/{code}</c>) written out as the signed link it opens.</summary>
    public async Task<string> TextAsync(OutboxRecord message)
    {
        var text = MessagePayload.FromJson(message.Payload).Text;
        await using var db = await DbAsync();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"http://localhost:5080/s/([A-Za-z0-9]{8})"))
            text = text.Replace(m.Value, (await db.ShortLinks.FindAsync(m.Groups[1].Value))!.Target, StringComparison.Ordinal);
        return text;
    }

    public async Task<List<OutboxRecord>> MessagesAsync() =>
        [.. (await _services.GetRequiredService<OutboxStore>().ListAsync(null, 100, CancellationToken.None)).OrderBy(m => m.CreatedAt).ThenBy(m => m.IdempotencyKey, StringComparer.Ordinal)];

    public async Task<List<HumanTaskRecord>> TasksAsync() => await _services.GetRequiredService<TaskStore>().ListByCorrelationAsync(Number, CancellationToken.None);

    public async Task<List<ApprovalRecord>> ApprovalsAsync() => await _services.GetRequiredService<ApprovalStore>().ListByCorrelationAsync(Number, CancellationToken.None);

    /// <summary>A person completes the open task with an action and values, as the inbox does.</summary>
    public async Task<TaskResult> CompleteTaskAsync(string action, IReadOnlyDictionary<string, string?> values, string user = "wang", string role = "Advisor")
    {
        var task = (await TasksAsync()).Single(t => t.Status == HumanTaskStatus.Open);
        var (result, errors) = await _services.GetRequiredService<TaskService>().CompleteAsync(task.Id, new StaffMember(user, [role]), action, values, "en", CancellationToken.None);
        Assert.True(errors.Count == 0, string.Join("; ", errors.SelectMany(e => e.Value)));
        return result;
    }

    public async Task<Visit> VisitAsync()
    {
        await using var db = await DbAsync();
        return await db.Visits.AsNoTracking().FirstAsync(v => v.Id == VisitId);
    }

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

    /// <summary>Customer links as plain addresses (the host signs them; here only their place in a message matters).</summary>
    private sealed class TestLinks : ICustomerLinks
    {
        public string LinkFor(string approvalId) => $"https://dealer.example/c/{approvalId}";

        public string BookingLinkFor(string vehicleId) => $"https://dealer.example/c/book/{vehicleId}";
    }
}
