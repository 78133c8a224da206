using Followup.Workflows.Runtime;
using static Followup.Workflows.Tests.Json;

namespace Followup.Workflows.Tests;

public sealed class TimerTests
{
    [Fact]
    public async Task Delay_OfThreeDays_CompletesWhenTheClockMovesThreeDays()
    {
        await using var h = new WorkflowHarness();
        var started = await h.RunAsync(Workflow("callback",
            [Activity("start", "Elsa.Start"), Delay("wait", "3.00:00:00"), WriteLine("call", "Callback due")],
            [Connection("start", "wait"), Connection("wait", "call")]));
        var timer = Assert.Single(h.Timers.Pending);
        Assert.Equal(h.Clock.GetUtcNow().AddDays(3), timer.DueAt);

        await h.AdvanceAsync(TimeSpan.FromDays(2));
        Assert.Empty(h.Lines);
        await h.AdvanceAsync(TimeSpan.FromDays(1));

        Assert.Equal(["Callback due"], h.Lines);
        Assert.Equal("Finished", (await h.InstanceAsync(started.InstanceId)).SubStatus);
    }

    [Fact]
    public async Task TimerJobId_IsStoredOnTheBookmark()
    {
        await using var h = new WorkflowHarness();
        var started = await h.RunAsync(Workflow("delay",
            [Delay("wait", "01:00:00"), WriteLine("after", "After")], [Connection("wait", "after")]));

        var row = Assert.Single(await h.Store.ListBookmarksAsync(started.InstanceId, CancellationToken.None));
        Assert.Equal(h.Timers.Pending[0].JobId, row.SchedulerJobId);
        Assert.Equal(h.Clock.GetUtcNow().AddHours(1).UtcDateTime, row.DueAt);
    }

    [Fact]
    public async Task StartAt_InThePast_ContinuesAtOnce()
    {
        await using var h = new WorkflowHarness();
        await h.RunAsync(Workflow("start-at",
            [Activity("at", "Elsa.StartAt", Input("dateTime", "DateTimeOffset", "2020-01-01T00:00:00Z")), WriteLine("after", "After")],
            [Connection("at", "after")]));

        Assert.Equal(["After"], h.Lines);
        Assert.Empty(h.Timers.Pending);
    }

    [Fact]
    public async Task Cron_InsideAWorkflow_WaitsForTheNextOccurrence()
    {
        await using var h = new WorkflowHarness();
        await h.RunAsync(Workflow("cron",
            [Activity("cron", "Elsa.Cron", Input("cronExpression", "String", "0 0 18 * * *")), WriteLine("after", "Evening")],
            [Connection("cron", "after")]));

        var timer = Assert.Single(h.Timers.Pending);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 18, 0, 0, TimeSpan.Zero), timer.DueAt);
        await h.AdvanceAsync(TimeSpan.FromHours(9));
        Assert.Equal(["Evening"], h.Lines);
    }
}
