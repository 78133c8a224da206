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
        Assert.All(await h.Store.ListIncidentsAsync(result.InstanceId, CancellationToken.None), i => Assert.NotNull(i.ResolvedAt));
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
