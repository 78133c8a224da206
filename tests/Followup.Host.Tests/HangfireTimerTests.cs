using Followup.Host.Scheduling;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

public sealed class HangfireTimerTests
{
    private static readonly string ThreeDayWait = Workflow("callback-wait",
        [Activity("start", "Elsa.Start"), Delay("wait", "3.00:00:00"), WriteLine("call", "Callback due"), Activity("end", "Elsa.End")],
        [Connection("start", "wait"), Connection("wait", "call"), Connection("call", "end")]);

    private static readonly string TenMinuteWait = Workflow("short-wait",
        [Activity("start", "Elsa.Start"), Delay("wait", "00:10:00"), WriteLine("call", "Ten minutes on"), Activity("end", "Elsa.End")],
        [Connection("start", "wait"), Connection("wait", "call"), Connection("call", "end")]);

    /// <summary>A reminder that waits 10 minutes unless the customer books first: the join takes whichever comes first.</summary>
    private static readonly string ReminderOrBooking = Workflow("reminder-or-booking",
        [Activity("start", "Elsa.Start"), Activity("fork", "Elsa.FlowFork", Input("branches", "String[]", "[\"Timer\",\"Booked\"]", "Object")),
         Delay("wait", "00:10:00"), WriteLine("remind", "Reminder sent"), Event("booked", "Booked"), WriteLine("thanks", "Booked, no reminder"),
         Activity("join", "Elsa.FlowJoin", Input("mode", "FlowJoinMode", "WaitAny")), Activity("end", "Elsa.End")],
        [Connection("start", "fork"), Connection("fork", "wait", "Timer"), Connection("fork", "booked", "Booked"),
         Connection("wait", "remind"), Connection("booked", "thanks"), Connection("remind", "join"), Connection("thanks", "join"), Connection("join", "end")]);

    /// <summary>Hangfire's parts keep their loggers; once the host whose logging made them is gone, they log nothing and do not throw.</summary>
    [Fact]
    public void Hangfire_logs_through_a_stopped_hosts_logging_stay_silent_instead_of_throwing()
    {
        var logging = Microsoft.Extensions.Logging.LoggerFactory.Create(_ => { });
        var provider = new HangfireLogProvider(logging);
        var kept = provider.GetLogger("Hangfire.Server.Worker");
        logging.Dispose();

        Assert.False(provider.GetLogger("Hangfire.Server.DelayedJobScheduler").Log(Hangfire.Logging.LogLevel.Error, () => "after the host stopped"));
        kept.Log(Hangfire.Logging.LogLevel.Error, () => "after the host stopped");
    }

    /// <summary>
    /// Hangfire keeps one configuration for the process, and a test process holds several hosts (a restart, a second
    /// host on one database): two hosts that both configure Hangfire before either takes its job store still schedule
    /// each on their own.
    /// </summary>
    [Fact]
    public async Task Two_hosts_configured_together_in_one_process_each_schedule_on_their_own_job_store()
    {
        static ServiceProvider Host()
        {
            var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Hangfire:Storage"] = "InMemory" }).Build();
            var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(settings);
            services.AddFollowupHangfire(settings, Followup.Workflows.Persistence.WorkflowDatabase.Of(null, "Data Source=unused.db"));
            return services.BuildServiceProvider();
        }
        await using var first = Host();
        await using var second = Host();
        first.GetRequiredService<IGlobalConfiguration>();
        second.GetRequiredService<IGlobalConfiguration>();

        first.GetRequiredService<IBackgroundJobClient>().Schedule<TimerJobs>(HangfireTimerScheduler.Queue, j => j.SweepAsync(CancellationToken.None), TimeSpan.FromDays(3));

        Assert.Equal(1, first.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledCount());
        Assert.Equal(0, second.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledCount());
    }

    /// <summary>
    /// The wait has no job in the job store until the sweep finds it within the horizon (15 minutes), and then one job,
    /// which its time fires.
    /// </summary>
    [Fact]
    public async Task A_three_day_wait_gets_its_job_as_it_comes_near_and_completes_when_the_clock_moves_three_days()
    {
        await using var host = new HostFactory(("wait.json", ThreeDayWait));
        using var measurements = new MeasurementRecorder(host.Services, Followup.Workflows.Runtime.WorkflowMetrics.MeterName);
        var api = host.Api();
        var sweep = host.Services.GetRequiredService<TimerSweep>();
        var id = await Poll.StartAsync(api, "callback-wait");
        Assert.Equal("Suspended", await Poll.SubStatusAsync(api, id));
        var monitor = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Assert.Equal(0, monitor.ScheduledCount());

        host.Clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(16));
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal(0, monitor.ScheduledCount());

        host.Clock.Advance(TimeSpan.FromMinutes(15));
        await sweep.RunAsync(CancellationToken.None);
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal(1, monitor.ScheduledCount());
        await OnlyScheduledJobIsTheTimersOfAsync(host, id);
        Assert.Equal("Suspended", await Poll.SubStatusAsync(api, id));

        host.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(31));
        await sweep.RunAsync(CancellationToken.None);
        await Poll.UntilAsync(() => Poll.SubStatusAsync(api, id), s => s == "Finished", what: "the workflow to finish");
        var journal = await Poll.JournalAsync(api, id);
        Assert.Single(journal, j => j.GetProperty("activityId").GetString() == "call" && j.GetProperty("eventName").GetString() == "Completed");
        Assert.Equal(0, monitor.ScheduledCount());
        Assert.Equal(0, monitor.DeletedListCount());

        Assert.Equal(1, measurements.Sum("followup.workflow.instances.started"));
        Assert.Equal(1, measurements.Sum("followup.workflow.instances.finished"));
        Assert.Equal(0, measurements.Sum("followup.workflow.instances.faulted"));
        var lag = Assert.Single(measurements.Values("followup.workflow.timer.lag"));
        Assert.InRange(lag, 30, 32);
    }

    /// <summary>
    /// An overdue timer without a job that the drain could not resume (here another resume holds its claim, as a host
    /// that died mid-resume would until its lock went) gets a job from the sweep, so Hangfire's retries stand behind it;
    /// once the claim is free it is resumed, once, by its job or the next sweep, whichever comes first.
    /// </summary>
    [Fact]
    public async Task An_overdue_timer_the_drain_could_not_resume_gets_a_job_and_is_resumed_once_when_free()
    {
        await using var host = new HostFactory(("wait.json", ThreeDayWait));
        var api = host.Api();
        var id = await Poll.StartAsync(api, "callback-wait");
        var timer = Assert.Single(await host.RunStore.ListBookmarksAsync(id, CancellationToken.None));
        Assert.Null(timer.SchedulerJobId);

        host.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        var claim = await host.Services.GetRequiredService<Followup.Workflows.Scheduling.IWorkflowLock>().TryAcquireNamedAsync($"timer:{timer.Id}", CancellationToken.None);
        Assert.NotNull(claim);
        await using (claim)
        {
            await host.Services.GetRequiredService<TimerSweep>().RunAsync(CancellationToken.None);
            Assert.Equal("Suspended", await Poll.SubStatusAsync(api, id));
            Assert.NotNull(Assert.Single(await host.RunStore.ListBookmarksAsync(id, CancellationToken.None)).SchedulerJobId);
        }

        await host.Services.GetRequiredService<TimerSweep>().RunAsync(CancellationToken.None);
        await Poll.UntilAsync(() => Poll.SubStatusAsync(api, id), s => s == "Finished", what: "the timer to be resumed");
        Assert.Single(await Poll.JournalAsync(api, id), j => j.GetProperty("activityId").GetString() == "call" && j.GetProperty("eventName").GetString() == "Completed");
    }

    [Fact]
    public async Task A_host_whose_job_store_lost_the_timers_jobs_starts_at_once_and_gives_them_new_ones_beside_its_start()
    {
        string near, far;
        var folder = "";
        await using (var first = new HostFactory(("short.json", TenMinuteWait), ("wait.json", ThreeDayWait)) { KeepsFolder = true })
        {
            near = await Poll.StartAsync(first.Api(), "short-wait");
            far = await Poll.StartAsync(first.Api(), "callback-wait");
            folder = first.Folder;
            Assert.Equal("Suspended", await Poll.SubStatusAsync(first.Api(), far));
            Assert.Equal(1, first.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledCount());
        }
        // The same database, a new in-memory job store: the near timer's job is gone, and it gets a new one; the far
        // timer still needs none.
        await using var host = HostFactory.Over(folder);
        var api = host.Api();
        Assert.Equal("Suspended", await Poll.SubStatusAsync(api, near));
        await host.Services.GetRequiredService<TimerSweep>().Recovered;
        var monitor = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Assert.Equal(1, monitor.ScheduledCount());
        await OnlyScheduledJobIsTheTimersOfAsync(host, near);

        host.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        await host.Services.GetRequiredService<TimerSweep>().RunAsync(CancellationToken.None);
        foreach (var id in new[] { near, far })
        {
            await Poll.UntilAsync(() => Poll.SubStatusAsync(api, id), s => s == "Finished", what: "the workflow to finish");
            Assert.Single(await Poll.JournalAsync(api, id), j => j.GetProperty("activityId").GetString() == "call" && j.GetProperty("eventName").GetString() == "Completed");
        }
    }

    [Fact]
    public async Task Timers_falling_due_together_are_resumed_by_the_first_job_and_each_exactly_once()
    {
        await using var host = new HostFactory(("wait.json", ThreeDayWait));
        var runtime = host.Services.GetRequiredService<Followup.Workflows.Runtime.IWorkflowRuntime>();
        var timers = new List<(string Instance, string Bookmark)>();
        for (var i = 0; i < 40; i++)
        {
            var id = (await runtime.StartAsync(new() { DefinitionId = "callback-wait" }, CancellationToken.None)).InstanceId;
            timers.Add((id, Assert.Single(await host.RunStore.ListBookmarksAsync(id, CancellationToken.None)).Id));
        }
        async Task<int> FinishedAsync() => (await host.Queries.QueryInstancesAsync(new() { DefinitionId = "callback-wait", SubStatus = "Finished" }, CancellationToken.None)).Total;

        // All fall due at the same moment; the first job to run finds the others due and the drain resumes them,
        // without their own jobs and before the sweep would see them as overdue.
        host.Clock.Advance(TimeSpan.FromDays(3));
        var jobs = host.Services.GetRequiredService<TimerJobs>();
        await jobs.ResumeAsync(timers[0].Instance, timers[0].Bookmark, CancellationToken.None);
        await Poll.UntilAsync(FinishedAsync, n => n == 40, what: "every timer to be resumed");

        // Their jobs run later and find nothing to do.
        foreach (var (instance, bookmark) in timers.Skip(1).Take(5))
            await jobs.ResumeAsync(instance, bookmark, CancellationToken.None);
        foreach (var (instance, _) in timers)
        {
            var journal = await host.Queries.ListJournalAsync(instance, CancellationToken.None);
            Assert.Single(journal, j => j.ActivityId == "call" && j.EventName == "Completed");
        }
    }

    [Fact]
    public async Task A_timers_job_waits_for_its_claim_and_resumes_the_timer_when_the_holder_let_it_go_without_resuming()
    {
        await using var host = new HostFactory(("wait.json", ThreeDayWait));
        var runtime = host.Services.GetRequiredService<Followup.Workflows.Runtime.IWorkflowRuntime>();
        var id = (await runtime.StartAsync(new() { DefinitionId = "callback-wait" }, CancellationToken.None)).InstanceId;
        var bookmark = Assert.Single(await host.RunStore.ListBookmarksAsync(id, CancellationToken.None)).Id;
        host.Clock.Advance(TimeSpan.FromDays(3));

        // Another resume (a drain on a host that then dies) holds the timer's claim while the job runs.
        var holder = await host.Services.GetRequiredService<Followup.Workflows.Scheduling.IWorkflowLock>().TryAcquireNamedAsync($"timer:{bookmark}", CancellationToken.None);
        Assert.NotNull(holder);
        var job = host.Services.GetRequiredService<TimerJobs>().ResumeAsync(id, bookmark, CancellationToken.None);
        await holder.DisposeAsync();
        await job;

        var journal = await host.Queries.ListJournalAsync(id, CancellationToken.None);
        Assert.Single(journal, j => j.ActivityId == "call" && j.EventName == "Completed");
    }

    [Fact]
    public async Task A_published_workflow_with_a_timer_trigger_starts_every_interval()
    {
        var hourly = Workflow("hourly-check",
            [Activity("tick", "Elsa.Timer", Input("interval", "TimeSpan", "01:00:00"), custom: "\"canStartWorkflow\": true"), WriteLine("check", "Checked")],
            [Connection("tick", "check")]);
        await using var host = new HostFactory(("hourly.json", hourly));
        var api = host.Api();
        var sweep = host.Services.GetRequiredService<TimerSweep>();
        async Task<int> StartedAsync() => (await host.Queries.QueryInstancesAsync(new() { DefinitionId = "hourly-check", SubStatus = "Finished" }, CancellationToken.None)).Total;
        Assert.Equal(0, await StartedAsync());

        host.Clock.Advance(TimeSpan.FromMinutes(59));
        await sweep.RunAsync(CancellationToken.None);
        Assert.Equal(0, await StartedAsync());

        host.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(31));
        await sweep.RunAsync(CancellationToken.None);
        await Poll.UntilAsync(StartedAsync, n => n == 1, what: "the first timed start");

        await Poll.UntilAsync(async () => (await host.Definitions.ListScheduledTriggersAsync(CancellationToken.None)).Single().StartAt,
            next => next > host.Clock.GetUtcNow().UtcDateTime, what: "the trigger to be re-armed");
        host.Clock.Advance(TimeSpan.FromHours(1));
        await sweep.RunAsync(CancellationToken.None);
        await Poll.UntilAsync(StartedAsync, n => n == 2, what: "the second timed start");
    }

    [Fact]
    public async Task A_timer_cancelled_by_another_branch_never_fires()
    {
        await using var host = new HostFactory(("reminder.json", ReminderOrBooking));
        var api = host.Api();
        var id = await Poll.StartAsync(api, "reminder-or-booking", new { });
        var monitor = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Assert.Equal(1, monitor.ScheduledCount());

        host.Clock.Advance(TimeSpan.FromMinutes(5));
        var runtime = host.Services.GetRequiredService<Followup.Workflows.Runtime.IWorkflowRuntime>();
        await runtime.PublishEventAsync("Booked", null, null, id, CancellationToken.None);
        Assert.Equal("Finished", await Poll.SubStatusAsync(api, id));
        Assert.Equal(0, monitor.ScheduledCount());
        Assert.Equal(1, monitor.DeletedListCount());

        host.Clock.Advance(TimeSpan.FromDays(5));
        await host.Services.GetRequiredService<TimerSweep>().RunAsync(CancellationToken.None);
        Assert.Equal(0, monitor.EnqueuedCount(HangfireTimerScheduler.Queue));
        var journal = await Poll.JournalAsync(api, id);
        Assert.DoesNotContain(journal, j => j.GetProperty("activityId").GetString() == "remind");
        Assert.Contains(journal, j => j.GetProperty("activityId").GetString() == "thanks");
    }

    /// <summary>The job store's one scheduled job is the one recorded on the instance's one timer.</summary>
    private static async Task OnlyScheduledJobIsTheTimersOfAsync(HostFactory host, string instanceId)
    {
        var job = Assert.Single(await host.RunStore.ListBookmarksAsync(instanceId, CancellationToken.None)).SchedulerJobId;
        Assert.Equal(job, Assert.Single(host.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 10)).Key);
    }
}
