using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using static Followup.Workflows.Tests.Json;

namespace Followup.Workflows.Tests;

public sealed class BookmarkTests
{
    private static string ApprovalWorkflow => Workflow("approval",
        [Activity("start", "Elsa.Start"), WriteLine("sent", "Estimate sent"), Event("wait", "EstimateApproved"), WriteLine("go", "Approved")],
        [Connection("start", "sent"), Connection("sent", "wait"), Connection("wait", "go")]);

    [Fact]
    public async Task Event_SuspendsThenResumesByStimulusAndCorrelationId()
    {
        await using var h = new WorkflowHarness();
        var id = await h.ImportAsync(ApprovalWorkflow);
        var visit7 = await h.StartAsync(id, correlationId: "visit-7");
        var visit8 = await h.StartAsync(id, correlationId: "visit-8");
        Assert.Equal(WorkflowSubStatus.Suspended, visit7.SubStatus);

        var resumed = await h.Runtime.PublishEventAsync("EstimateApproved", null, "visit-7", null, CancellationToken.None);

        var run = Assert.Single(resumed);
        Assert.Equal(visit7.InstanceId, run.InstanceId);
        Assert.Equal(WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Equal("Suspended", (await h.InstanceAsync(visit8.InstanceId)).SubStatus);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(0, false)]
    public async Task CopiesOfWaitingInstances_AreKeptUnlessTheSettingGivesThemNoRoom(int? mib, bool kept)
    {
        await using var h = new WorkflowHarness(s => s.Configure<EngineOptions>(o => o.RecentInstancesMiB = mib ?? o.RecentInstancesMiB));
        var id = await h.ImportAsync(ApprovalWorkflow);
        await h.StartAsync(id, correlationId: "visit-7");

        Assert.Equal(kept, ((Persistence.Sqlite.SqliteRunStore)h.Store).RecentBytes > 0);
        // Either way the waiting instance resumes from what was committed.
        Assert.Equal(WorkflowSubStatus.Finished, Assert.Single(await h.Runtime.PublishEventAsync("EstimateApproved", null, "visit-7", null, CancellationToken.None)).SubStatus);
    }

    [Fact]
    public async Task Resume_OfAConsumedBookmark_DoesNothingAndSaysSo()
    {
        await using var h = new WorkflowHarness();
        var started = await h.RunAsync(ApprovalWorkflow);
        var bookmark = Assert.Single(started.Bookmarks);

        var first = await h.Runtime.ResumeAsync(started.InstanceId, bookmark.Id, null, CancellationToken.None);
        var second = await h.Runtime.ResumeAsync(started.InstanceId, bookmark.Id, null, CancellationToken.None);

        Assert.Equal(ResumeOutcome.Resumed, first.Outcome);
        Assert.Equal(ResumeOutcome.BookmarkNotFound, second.Outcome);
        Assert.Contains("already", second.Message, StringComparison.Ordinal);
        Assert.Single(h.Lines, l => l == "Approved");
    }

    [Fact]
    public async Task Bookmark_IsFoundThroughItsHashIndex()
    {
        await using var h = new WorkflowHarness();
        var started = await h.RunAsync(ApprovalWorkflow);

        var hash = StimulusHash.Compute("Elsa.Event", new Activities.Primitives.EventStimulus("EstimateApproved"));
        var (rows, _) = await h.Store.FindStimulusTargetsAsync(hash, null, null, withTriggers: false, CancellationToken.None);

        Assert.Equal(started.InstanceId, Assert.Single(rows).InstanceId);
    }

    [Fact]
    public async Task State_SurvivesARestartOnTheSameSqliteFile()
    {
        await using var h = new WorkflowHarness();
        var started = await h.RunAsync(ApprovalWorkflow);

        await h.RestartAsync();
        var resumed = await h.Runtime.PublishEventAsync("EstimateApproved", null, null, null, CancellationToken.None);

        Assert.Equal(started.InstanceId, Assert.Single(resumed).InstanceId);
        Assert.Equal(["Estimate sent", "Approved"], h.Lines);
        var journal = await h.Queries.ListJournalAsync(started.InstanceId, CancellationToken.None);
        Assert.Contains(journal, j => j.EventName == "Resumed" && j.ActivityId == "wait");
    }

    [Fact]
    public async Task Commit_WithAStaleRevision_IsRejected()
    {
        await using var h = new WorkflowHarness();
        var started = await h.RunAsync(ApprovalWorkflow);
        var record = await h.InstanceAsync(started.InstanceId);

        var stale = new Persistence.CommitBatch { Instance = record, ExpectedRevision = record.Revision - 1 };

        await Assert.ThrowsAsync<Persistence.WorkflowConcurrencyException>(() => h.Store.CommitAsync(stale, CancellationToken.None));
    }

    [Fact]
    public async Task Commits_ArrivingTogether_FailOneByOne()
    {
        await using var h = new WorkflowHarness();
        var started = await h.RunAsync(ApprovalWorkflow);
        var record = await h.InstanceAsync(started.InstanceId);
        Persistence.CommitBatch New(string id) => new()
        {
            IsNew = true,
            Instance = new Persistence.WorkflowInstanceRecord
            {
                Id = id, DefinitionId = record.DefinitionId, DefinitionVersionId = record.DefinitionVersionId, Status = "Running",
                SubStatus = "Suspended", State = record.State, Revision = 1, CreatedAt = record.CreatedAt, UpdatedAt = record.UpdatedAt,
            },
            Journal = [new Persistence.JournalRecord { InstanceId = id, Sequence = 1, EventName = "Started" }],
        };

        var taken = Assert.Single(await h.Store.ListBookmarksAsync(started.InstanceId, CancellationToken.None));

        // Twenty new instances, a stale revision, a second insert of an existing id and a burst that fails after its
        // first row (its bookmark id is taken), all in flight at once.
        var fresh = Enumerable.Range(0, 20).Select(i => h.Store.CommitAsync(New($"group-{i}"), CancellationToken.None)).ToList();
        var stale = h.Store.CommitAsync(new Persistence.CommitBatch { Instance = record, ExpectedRevision = record.Revision - 1 }, CancellationToken.None);
        var duplicate = h.Store.CommitAsync(New(started.InstanceId), CancellationToken.None);
        var half = h.Store.CommitAsync(New("half") with { AddedBookmarks = [taken] }, CancellationToken.None);

        await Task.WhenAll(fresh);
        await Assert.ThrowsAsync<Persistence.WorkflowConcurrencyException>(() => stale);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => duplicate);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => half);
        Assert.Null(await h.Store.FindInstanceAsync("half", CancellationToken.None));
        Assert.Empty(await h.Queries.ListJournalAsync("half", CancellationToken.None));
        var stored = await h.Queries.ListInstancesAsync(record.DefinitionId, CancellationToken.None);
        Assert.Equal(21, stored.Count);
        Assert.Equal(record.Revision, stored.Single(i => i.Id == started.InstanceId).Revision);
        Assert.Equal("Started", Assert.Single(await h.Queries.ListJournalAsync("group-7", CancellationToken.None)).EventName);
    }

    [Fact]
    public async Task RecordsWrittenOnTheFastPath_ReadBackTheSameThroughEfCore_AndTheOtherWayRound()
    {
        await using var h = new WorkflowHarness();
        var started = await h.RunAsync(ApprovalWorkflow);
        var due = new DateTime(2026, 3, 5, 9, 30, 15, 250, DateTimeKind.Utc);
        var bookmark = new Persistence.BookmarkRecord
        {
            Id = "timer-1", InstanceId = started.InstanceId, DefinitionId = "d", Name = "Elsa.Delay", Hash = "h", CorrelationId = null,
            ActivityNodeId = "flow:wait", ActivityInstanceId = "a1", Payload = "{\"x\":1}", DueAt = due, CreatedAt = due.AddDays(-3),
        };
        var record = await h.InstanceAsync(started.InstanceId);
        var revision = record.Revision;
        record.Revision++;
        await h.Store.CommitAsync(new Persistence.CommitBatch { Instance = record, ExpectedRevision = revision, AddedBookmarks = [bookmark] }, CancellationToken.None);

        // Written with plain SQL, read by EF Core.
        var viaEf = Assert.Single(await h.Store.ListBookmarksAsync(started.InstanceId, CancellationToken.None), b => b.Id == "timer-1");
        Assert.Equal((due, "{\"x\":1}", (string?)null), (DateTime.SpecifyKind(viaEf.DueAt!.Value, DateTimeKind.Utc), viaEf.Payload, viaEf.CorrelationId));

        // Written by EF Core, read with plain SQL.
        await h.DefinitionStore.ReplaceTriggersAsync("d", [new Persistence.TriggerRecord
        {
            Id = "t1", DefinitionId = "d", DefinitionVersionId = "d-1", Name = "Elsa.Timer", ActivityId = "tick", Hash = "th",
            StartAt = due, Interval = TimeSpan.FromMinutes(90.5),
        }], CancellationToken.None);
        var trigger = Assert.Single(await h.DefinitionStore.FindTriggersAsync("th", CancellationToken.None));
        Assert.Equal((TimeSpan.FromMinutes(90.5), due, (string?)null), (trigger.Interval, DateTime.SpecifyKind(trigger.StartAt!.Value, DateTimeKind.Utc), trigger.CronExpression));
        var viaSql = await h.Store.FindBookmarkAsync(started.InstanceId, "timer-1", CancellationToken.None);
        Assert.Equal(due, DateTime.SpecifyKind(viaSql!.DueAt!.Value, DateTimeKind.Utc));
    }

    [Fact]
    public async Task PublishedEventTrigger_StartsANewInstance()
    {
        await using var h = new WorkflowHarness();
        await h.ImportAsync(Workflow("on-booking",
            [Activity("booked", "Elsa.Event", Input("eventName", "String", "AppointmentBooked"), "\"canStartWorkflow\": true"), WriteLine("confirm", "Confirm booking")],
            [Connection("booked", "confirm")]));

        var started = await h.Runtime.PublishEventAsync("AppointmentBooked", null, "appt-1", null, CancellationToken.None);

        Assert.Equal(WorkflowSubStatus.Finished, Assert.Single(started).SubStatus);
        Assert.Equal(["Confirm booking"], h.Lines);
    }

    private static string TwoEventsWorkflow(bool together) => Workflow("two-events", together
            ? [Activity("start", "Elsa.Start"), Activity("fork", "Elsa.FlowFork", Input("branches", "String[]", "[\"Left\",\"Right\"]", "Object")),
               Event("first", "EstimateApproved"), WriteLine("one", "One"), Event("second", "TaskCompleted"), WriteLine("two", "Two")]
            : [Activity("start", "Elsa.Start"), Event("first", "EstimateApproved"), WriteLine("one", "One"), Event("second", "TaskCompleted"), WriteLine("two", "Two")],
        together
            ? [Connection("start", "fork"), Connection("fork", "first", "Left"), Connection("fork", "second", "Right"), Connection("first", "one"), Connection("second", "two")]
            : [Connection("start", "first"), Connection("first", "one"), Connection("one", "second"), Connection("second", "two")]);

    [Fact]
    public async Task AnInstanceMovedOnByAnotherProcess_IsResumedFromWhereItIsNow()
    {
        // Two engines on one SQLite file (a host and a command line): the first keeps a copy of what it last wrote.
        await using var host = new WorkflowHarness();
        await using var other = new WorkflowHarness(dbPath: host.DbPath);
        var started = await host.StartAsync(await host.ImportAsync(TwoEventsWorkflow(together: false)), correlationId: "visit-1");
        await other.Definitions.LoadAsync(CancellationToken.None);

        Assert.Single(await other.Runtime.PublishEventAsync("EstimateApproved", null, "visit-1", null, CancellationToken.None));
        var resumed = await host.Runtime.PublishEventAsync("TaskCompleted", null, "visit-1", null, CancellationToken.None);

        Assert.Equal(WorkflowSubStatus.Finished, Assert.Single(resumed).SubStatus);
        Assert.Equal(["One"], other.Lines);
        Assert.Equal(["Two"], host.Lines);
        Assert.Empty(await host.Runtime.PublishEventAsync("EstimateApproved", null, "visit-1", null, CancellationToken.None));
        Assert.Equal("Finished", (await host.InstanceAsync(started.InstanceId)).SubStatus);
    }

    [Fact]
    public async Task AStaleCopyOfAnInstance_LosesToTheStoredRow_AndTheResumeRunsAgainOnIt()
    {
        await using var host = new WorkflowHarness();
        await using var other = new WorkflowHarness(dbPath: host.DbPath);
        var started = await host.StartAsync(await host.ImportAsync(TwoEventsWorkflow(together: true)), correlationId: "visit-2");
        await other.Definitions.LoadAsync(CancellationToken.None);
        Assert.Equal(2, started.Bookmarks.Count);

        // The other engine resumes one branch; the host still holds the copy in which both wait.
        Assert.Single(await other.Runtime.PublishEventAsync("EstimateApproved", null, "visit-2", null, CancellationToken.None));
        var resumed = await host.Runtime.PublishEventAsync("TaskCompleted", null, "visit-2", null, CancellationToken.None);

        Assert.Equal(WorkflowSubStatus.Finished, Assert.Single(resumed).SubStatus);
        var journal = await host.Queries.ListJournalAsync(started.InstanceId, CancellationToken.None);
        Assert.Single(journal, j => j.ActivityId == "one" && j.EventName == "Completed");
        Assert.Single(journal, j => j.ActivityId == "two" && j.EventName == "Completed");
        Assert.Equal("Finished", (await host.InstanceAsync(started.InstanceId)).SubStatus);
    }

    [Fact]
    public async Task CommittedBursts_ReachTheDatabaseFile_WhileTheWriterKeepsWriting()
    {
        await using var h = new WorkflowHarness();
        var id = await h.ImportAsync(ApprovalWorkflow);
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => h.StartAsync(id, correlationId: $"visit-{i}")));

        // The main file alone, as a backup copying only it would see: the write-ahead log is copied back beside the
        // writer, long before the log reaches the size at which the writer would do it itself. A copy taken while a
        // checkpoint is writing the file can be torn; that copy is taken again.
        var copy = Path.Combine(Path.GetDirectoryName(h.DbPath)!, "copy.db");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        long found;
        do
        {
            await Task.Delay(50);
            File.Copy(h.DbPath, copy, overwrite: true);
            found = await CountInstancesAsync(copy);
            File.Delete(copy + "-wal");
        }
        while (found < 50 && DateTime.UtcNow < deadline);
        Assert.Equal(50, found);

        static async Task<long> CountInstancesAsync(string path)
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
            await connection.OpenAsync();
            await using var count = connection.CreateCommand();
            try
            {
                count.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'WorkflowInstances'";
                if ((long)(await count.ExecuteScalarAsync())! == 0)
                    return 0;
                count.CommandText = "SELECT count(*) FROM \"WorkflowInstances\"";
                return (long)(await count.ExecuteScalarAsync())!;
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex) when (ex.SqliteErrorCode is 11 or 26)
            {
                return 0;
            }
        }
    }

    [Fact]
    public void ABurstsJournal_ReadsBackAsWritten_FromItsSmallForm()
    {
        var at = new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
        Persistence.JournalRecord Entry(long sequence, string eventName, string? activity, string? node, DateTime time, string? message = null, string? name = null) => new()
        {
            InstanceId = "visit-1", Sequence = sequence, Timestamp = time, ActivityInstanceId = activity is null ? null : $"x-{activity}",
            ActivityId = activity, ActivityNodeId = node, ActivityType = activity is null ? null : "Followup.HumanTask", ActivityName = name,
            EventName = eventName, Message = message,
        };
        List<Persistence.JournalRecord> written =
        [
            Entry(8, "Started", "call", "Workflow1:flow:call", at, name: "Call the customer"),
            Entry(9, "Escalated", "call", "Workflow1:flow:call", at.AddSeconds(930.25), message: "Manager"),
            Entry(12, "Started", "inner", "Workflow1:flow:sub:Workflow1:step", at.AddSeconds(931)),
            Entry(13, "Workflow cancelled", null, null, at.AddSeconds(931)),
        ];

        var row = Persistence.JournalEntries.Pack("visit-1", [.. written.AsEnumerable().Reverse()]);
        var read = Persistence.JournalEntries.Unpack(row).ToList();

        Assert.Equal((8L, 13L), (row.FirstSequence, row.LastSequence));
        Assert.Equal(written.Select(Describe), read.Select(Describe));

        static string Describe(Persistence.JournalRecord j) =>
            $"{j.InstanceId} {j.Sequence} {j.Timestamp:O} {j.ActivityInstanceId} {j.ActivityId} {j.ActivityNodeId} {j.ActivityType} {j.ActivityName} {j.EventName} {j.Message}";
    }

    [Fact]
    public void CopiesOfCommittedInstances_AreBoundedByTheirBytes_AndFinishedOnesDropped()
    {
        // Room for ten copies of a 744-byte state (1,000 bytes with the row).
        var recent = new Persistence.Sqlite.RecentInstances(capacityBytes: 10_000);
        Persistence.WorkflowInstanceRecord Row(int i, string status, int stateBytes = 744) => new()
        {
            Id = $"visit-{i}", DefinitionId = "d", DefinitionVersionId = "d-1", Status = status, SubStatus = "Suspended",
            State = "{\"v\":\"" + new string('x', stateBytes - 8) + "\"}", Revision = 1,
        };

        for (var i = 0; i < 25; i++)
            recent.Committed(Row(i, "Running"));
        var kept = Enumerable.Range(0, 25).Where(i => recent.Find($"visit-{i}") != null).ToList();
        Assert.InRange(kept.Count, 9, 10);
        Assert.Equal(kept.Count * 1_000, recent.Bytes);

        // A copy replaced by its next commit weighs what the new one does; a finished one is dropped.
        recent.Committed(Row(kept[1], "Running", stateBytes: 244));
        Assert.Equal((kept.Count - 1) * 1_000 + 500, recent.Bytes);
        recent.Committed(Row(kept[0], "Finished"));
        Assert.Null(recent.Find($"visit-{kept[0]}"));
        Assert.NotNull(recent.Find($"visit-{kept[1]}"));
        Assert.Equal((kept.Count - 2) * 1_000 + 500, recent.Bytes);

        // A state larger than a tenth of the room is not kept: it would push out many others for one.
        recent.Committed(Row(100, "Running", stateBytes: 2_000));
        Assert.Null(recent.Find("visit-100"));

        // With no room, nothing is kept.
        var none = new Persistence.Sqlite.RecentInstances(capacityBytes: 0);
        none.Committed(Row(1, "Running", stateBytes: 10));
        Assert.Null(none.Find("visit-1"));
        Assert.Equal(0, none.Bytes);
    }
}
