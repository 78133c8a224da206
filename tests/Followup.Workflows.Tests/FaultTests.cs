using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;
using static Followup.Workflows.Tests.Json;

namespace Followup.Workflows.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task Fault_EndsTheInstanceAsFaultedWithAnIncident()
    {
        await using var h = new WorkflowHarness();
        var result = await h.RunAsync(Workflow("fault",
            [Activity("f", "Elsa.Fault", Input("message", "String", "Parts system unreachable")), WriteLine("after", "After")],
            [Connection("f", "after")]));

        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Equal(WorkflowSubStatus.Faulted, result.SubStatus);
        Assert.Equal("Parts system unreachable", Assert.Single(result.Incidents).Message);
        Assert.Empty(h.Lines);
    }

    [Fact]
    public async Task FaultedInstance_CanBeRetriedOnceTheCauseIsFixed()
    {
        var gate = new FlakyGate { Fail = true };
        await using var h = new WorkflowHarness(s => s.AddSingleton(gate));
        var result = await h.RunAsync(Workflow("retry",
            [Activity("flaky", "Test.Flaky"), WriteLine("after", "Continued")], [Connection("flaky", "after")]));
        Assert.Equal(WorkflowSubStatus.Faulted, result.SubStatus);

        gate.Fail = false;
        var retried = await h.Runtime.RetryAsync(result.InstanceId, CancellationToken.None);

        Assert.Equal(WorkflowSubStatus.Finished, retried!.SubStatus);
        Assert.Equal(["Continued"], h.Lines);
        Assert.All(await h.Queries.ListIncidentsAsync(result.InstanceId, CancellationToken.None), i => Assert.NotNull(i.ResolvedAt));
    }
}

public sealed class FlakyGate
{
    public bool Fail { get; set; }
}

[Activity("Test", "Testing", "Fails while its gate says so.")]
public sealed class Flaky(FlakyGate gate) : CodeActivity
{
    protected override ValueTask RunAsync(ActivityExecutionContext context) =>
        gate.Fail ? throw new InvalidOperationException("The dealer management system is down.") : ValueTask.CompletedTask;
}

public sealed class RunawayTests
{
    /// <summary>Two steps that lead to each other and never wait: before the limit, the burst ran on until memory ran out.</summary>
    private static string Cycle(string extra = "") => Workflow("cycle",
        [WriteLine("a", "A"), WriteLine("b", "B")],
        [Connection("a", "b"), Connection("b", "a")], extra);

    [Fact]
    public async Task ABurstThatNeverWaits_IsStoppedAtTheLimit_AndFaultsWithAnIncidentSayingWhy()
    {
        await using var h = new WorkflowHarness(s => s.Configure<EngineOptions>(o => o.MaxActivityExecutionsPerBurst = 2_000));
        var result = await h.RunAsync(Cycle());

        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Equal(WorkflowSubStatus.Faulted, result.SubStatus);
        var incident = Assert.Single(result.Incidents);
        Assert.Contains("2000 activities without waiting", incident.Message, StringComparison.Ordinal);
        Assert.Contains("Engine:MaxActivityExecutionsPerBurst", incident.Message, StringComparison.Ordinal);
        Assert.InRange(h.Lines.Count, 1000, 2000);
        var stored = await h.Store.FindInstanceAsync(result.InstanceId, CancellationToken.None);
        Assert.Equal("Faulted", stored!.SubStatus);
    }

    [Fact]
    public async Task ABurstThatNeverWaits_IsStoppedEvenWhenTheWorkflowContinuesWithIncidents()
    {
        await using var h = new WorkflowHarness(s => s.Configure<EngineOptions>(o => o.MaxActivityExecutionsPerBurst = 500));
        var result = await h.RunAsync(Cycle("\"options\": { \"incidentStrategyType\": \"Elsa.Workflows.IncidentStrategies.ContinueWithIncidentsStrategy, Elsa.Workflows.Core\" },"));

        Assert.Equal(WorkflowSubStatus.Faulted, result.SubStatus);
        Assert.Single(result.Incidents);
    }
}
