using Followup.Testing;
using Followup.Workflows.Scheduling;
using Microsoft.Extensions.DependencyInjection;
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
    public async Task ATimerDueLater_GetsItsJobBeforeTheCommit_ASoonOneAfterIt_AndBothKeepTheirJobIds()
    {
        var seen = new List<(TimeSpan In, bool Stored)>();
        await using var h = SeeingWhenJobsAreMade(seen);
        var started = await h.RunAsync(Workflow("two-timers",
            [Activity("start", "Elsa.Start"), Delay("soon", "00:00:30"), Delay("later", "3.00:00:00"), WriteLine("a", "Soon"), WriteLine("b", "Later")],
            [Connection("start", "soon"), Connection("start", "later"), Connection("soon", "a"), Connection("later", "b")]));

        var rows = await h.Store.ListBookmarksAsync(started.InstanceId, CancellationToken.None);
        Assert.Equal([(TimeSpan.FromDays(3), false), (TimeSpan.FromSeconds(30), true)], seen);
        Assert.Equal(h.Timers.Pending.Select(t => t.JobId).Order(), rows.Select(r => r.SchedulerJobId!).Order());
        await h.AdvanceAsync(TimeSpan.FromSeconds(30));
        await h.AdvanceAsync(TimeSpan.FromDays(3));
        Assert.Equal(["Soon", "Later"], h.Lines);
    }

    [Fact]
    public async Task ATimerBeyondTheSchedulersHorizon_GetsNoJob_AndLeavesNoneToDeleteWhenAnotherBranchWins()
    {
        await using var h = new WorkflowHarness();
        h.Timers.Horizon = TimeSpan.FromHours(1);
        var started = await h.RunAsync(Workflow("timers-or-booking",
            [Activity("start", "Elsa.Start"), Activity("fork", "Elsa.FlowFork", Input("branches", "String[]", "[\"Soon\",\"Later\",\"Booked\"]", "Object")),
             Delay("soon", "00:30:00"), Delay("later", "3.00:00:00"), Event("booked", "Booked"), WriteLine("thanks", "Booked"),
             Activity("join", "Elsa.FlowJoin", Input("mode", "FlowJoinMode", "WaitAny"))],
            [Connection("start", "fork"), Connection("fork", "soon", "Soon"), Connection("fork", "later", "Later"), Connection("fork", "booked", "Booked"),
             Connection("soon", "join"), Connection("later", "join"), Connection("booked", "thanks"), Connection("thanks", "join")]));

        var job = Assert.Single(h.Timers.Pending);
        Assert.Equal(h.Clock.GetUtcNow().AddMinutes(30), job.DueAt);
        var rows = await h.Store.ListBookmarksAsync(started.InstanceId, CancellationToken.None);
        Assert.Null(Assert.Single(rows, r => r.DueAt == h.Clock.GetUtcNow().AddDays(3).UtcDateTime).SchedulerJobId);

        Assert.Single(await h.Runtime.PublishEventAsync("Booked", null, null, started.InstanceId, CancellationToken.None));
        Assert.Equal(["Booked"], h.Lines);
        Assert.Equal([job.JobId], h.Timers.Cancelled);
        Assert.Empty(await h.Store.ListBookmarksAsync(started.InstanceId, CancellationToken.None));
    }

    [Fact]
    public async Task ATimerDueLater_OfABurstHoldingItsTransaction_GetsItsJobAfterTheCommit_AndKeepsItsJobId()
    {
        var seen = new List<(TimeSpan In, bool Stored)>();
        await using var h = SeeingWhenJobsAreMade(seen);
        var started = await h.RunAsync(Workflow("records-then-timer",
            [Activity("start", "Elsa.Start"), Activity("records", "Test.HoldTransaction"), Delay("later", "3.00:00:00"), WriteLine("b", "Later")],
            [Connection("start", "records"), Connection("records", "later"), Connection("later", "b")]));

        // Made before the commit, the job would have been written while every other writer waited for this burst.
        Assert.Equal([(TimeSpan.FromDays(3), true)], seen);
        var row = Assert.Single(await h.Store.ListBookmarksAsync(started.InstanceId, CancellationToken.None));
        Assert.Equal(Assert.Single(h.Timers.Pending).JobId, row.SchedulerJobId);
        await h.AdvanceAsync(TimeSpan.FromDays(3));
        Assert.Equal(["Later"], h.Lines);
    }

    [Fact]
    public async Task TheJobOfATimerWhoseBurstDidNotCommit_IsDeleted()
    {
        // Two engines on one file: the host's copy of the instance is stale, so its first commit fails and it runs again.
        await using var host = new WorkflowHarness();
        await using var other = new WorkflowHarness(dbPath: host.DbPath);
        var started = await host.StartAsync(await host.ImportAsync(Workflow("stale-timer",
            [Activity("start", "Elsa.Start"), Event("w1", "EstimateApproved"), WriteLine("one", "One"), Event("w2", "TaskCompleted"), Delay("wait", "3.00:00:00"), WriteLine("two", "Two")],
            [Connection("start", "w1"), Connection("start", "w2"), Connection("w1", "one"), Connection("w2", "wait"), Connection("wait", "two")])), correlationId: "visit-4");
        await other.Definitions.LoadAsync(CancellationToken.None);
        Assert.Single(await other.Runtime.PublishEventAsync("EstimateApproved", null, "visit-4", null, CancellationToken.None));

        Assert.Single(await host.Runtime.PublishEventAsync("TaskCompleted", null, "visit-4", null, CancellationToken.None));

        var job = Assert.Single(host.Timers.Pending);
        var row = Assert.Single(await host.Store.ListBookmarksAsync(started.InstanceId, CancellationToken.None));
        Assert.Equal((job.JobId, job.BookmarkId), (row.SchedulerJobId, row.Id));
        Assert.Equal(["job-1"], host.Timers.Cancelled);
        Assert.Equal("job-2", job.JobId);
    }

    [Fact]
    public async Task ATimerOfABurstHoldingItsTransaction_WhoseCommitFails_GetsNoJob_AndItsRunAgainGetsOne()
    {
        // Two engines on one file: the host's copy of the instance is stale, so its first commit fails and it runs again.
        await using var host = new WorkflowHarness();
        await using var other = new WorkflowHarness(dbPath: host.DbPath);
        var started = await host.StartAsync(await host.ImportAsync(Workflow("stale-records-timer",
            [Activity("start", "Elsa.Start"), Event("w1", "EstimateApproved"), WriteLine("one", "One"), Event("w2", "TaskCompleted"),
             Activity("records", "Test.HoldTransaction"), Delay("wait", "3.00:00:00"), WriteLine("two", "Two")],
            [Connection("start", "w1"), Connection("start", "w2"), Connection("w1", "one"), Connection("w2", "records"), Connection("records", "wait"), Connection("wait", "two")])),
            correlationId: "visit-5");
        await other.Definitions.LoadAsync(CancellationToken.None);
        Assert.Single(await other.Runtime.PublishEventAsync("EstimateApproved", null, "visit-5", null, CancellationToken.None));

        Assert.Single(await host.Runtime.PublishEventAsync("TaskCompleted", null, "visit-5", null, CancellationToken.None));

        // The failed commit made no job, so there is none to delete; the run that committed made one, kept on its bookmark.
        Assert.Empty(host.Timers.Cancelled);
        var job = Assert.Single(host.Timers.Pending);
        var row = Assert.Single(await host.Store.ListBookmarksAsync(started.InstanceId, CancellationToken.None));
        Assert.Equal((job.JobId, job.BookmarkId), (row.SchedulerJobId, row.Id));
        await host.AdvanceAsync(TimeSpan.FromDays(3));
        Assert.Equal(["Two"], host.Lines);
    }

    /// <summary>A harness whose timer scheduler notes, for each job it makes, how far ahead it is due and whether its bookmark is stored yet.</summary>
    private static WorkflowHarness SeeingWhenJobsAreMade(List<(TimeSpan In, bool Stored)> seen)
    {
        WorkflowHarness? h = null;
        return h = new WorkflowHarness(services => services.AddSingleton<ITimerScheduler>(sp => new ProbeScheduler(
            sp.GetRequiredService<FakeTimerScheduler>(), async (instanceId, bookmarkId, dueAt) =>
                seen.Add((dueAt - h!.Clock.GetUtcNow(), await h.Store.FindBookmarkAsync(instanceId, bookmarkId, CancellationToken.None) != null)))));
    }

    private sealed class ProbeScheduler(FakeTimerScheduler inner, Func<string, string, DateTimeOffset, Task> probe) : ITimerScheduler
    {
        public async Task<string> ScheduleAsync(string instanceId, string bookmarkId, DateTimeOffset dueAt, CancellationToken cancellationToken)
        {
            await probe(instanceId, bookmarkId, dueAt);
            return await inner.ScheduleAsync(instanceId, bookmarkId, dueAt, cancellationToken);
        }

        public Task CancelAsync(string jobId, CancellationToken cancellationToken) => inner.CancelAsync(jobId, cancellationToken);
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

/// <summary>A step that opens its burst's transaction, as a step that writes records of its own does.</summary>
[Followup.Workflows.Abstractions.Activity("Test", "Testing", "Opens the burst's transaction.")]
public sealed class HoldTransaction : Followup.Workflows.Abstractions.CodeActivity
{
    protected override async ValueTask RunAsync(Followup.Workflows.Runtime.ActivityExecutionContext context) => await context.Workflow.TransactionAsync();
}
