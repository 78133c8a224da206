using Followup.Workflows;
using Followup.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Host.Tests;

/// <summary>The engine's commit path (plain SQL, group commit) on PostgreSQL, where a failed statement aborts the transaction.</summary>
public sealed class PostgresStoreTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Bursts_committed_together_keep_their_rows_and_fail_alone()
    {
        await using var services = new ServiceCollection().AddLogging()
            .AddFollowupWorkflows(WorkflowDatabase.Postgres(await postgres.CreateDatabaseAsync()))
            .BuildServiceProvider();
        await services.InitializeWorkflowsAsync(CancellationToken.None);
        var store = services.GetRequiredService<WorkflowStore>();
        await store.CommitAsync(Burst("visit-0"), CancellationToken.None);

        // Twenty bursts, a stale revision and a burst whose second row breaks (its bookmark id is taken), all in flight at once.
        var fresh = Enumerable.Range(1, 20).Select(i => store.CommitAsync(Burst($"visit-{i}"), CancellationToken.None)).ToList();
        var stale = store.CommitAsync(new CommitBatch { Instance = Instance("visit-0", revision: 5), ExpectedRevision = 4 }, CancellationToken.None);
        var broken = store.CommitAsync(Burst("broken") with { AddedBookmarks = [Bookmark("visit-0")] }, CancellationToken.None);

        await Task.WhenAll(fresh);
        await Assert.ThrowsAsync<WorkflowConcurrencyException>(() => stale);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => broken);
        Assert.Null(await store.FindInstanceAsync("broken", CancellationToken.None));
        Assert.Equal(21, (await store.ListInstancesAsync("service-visit", CancellationToken.None)).Count);

        // What the plain SQL wrote reads back through EF Core: times, nulls, flags, the task and one message per key.
        var task = Assert.Single(await store.ListTasksByCorrelationAsync("visit-7", CancellationToken.None));
        Assert.Equal(("Reception", Now.AddMinutes(5), (string?)null), (task.Title, task.DueAt, task.AssigneeUser));
        var message = Assert.Single(await store.ListOutboxAsync("visit-7", 10, CancellationToken.None));
        Assert.True(message.Urgent);
        var journal = await store.ListJournalAsync("visit-7", CancellationToken.None);
        Assert.Equal(["Started", "Completed"], journal.Select(j => j.EventName));
        var bookmark = Assert.Single(await store.FindBookmarksAsync("arrival", "visit-7", null, CancellationToken.None));
        Assert.Equal(Now.AddDays(3), bookmark.DueAt);

        // A message whose key is stored already is not added again.
        await store.AddOutboxAsync([Message("visit-7")], CancellationToken.None);
        Assert.Single(await store.ListOutboxAsync("visit-7", 10, CancellationToken.None));
    }

    private static CommitBatch Burst(string id) => new()
    {
        IsNew = true,
        Instance = Instance(id, revision: 1),
        AddedBookmarks = [Bookmark(id)],
        Journal = [Journal(id, 1, "Started"), Journal(id, 2, "Completed")],
        Inserts = [new HumanTaskRecord
        {
            Id = $"task-{id}", InstanceId = id, CorrelationId = id, ActivityId = "reception", BookmarkId = $"task-bookmark-{id}",
            Title = "Reception", Form = "{}", AssigneeRole = "Advisor", DueAt = Now.AddMinutes(5), CreatedAt = Now,
        }],
        Outbox = [Message(id), Message(id)],
    };

    private static WorkflowInstanceRecord Instance(string id, int revision) => new()
    {
        Id = id, DefinitionId = "service-visit", DefinitionVersionId = "service-visit-1", DefinitionVersion = 1, CorrelationId = id,
        Status = "Running", SubStatus = "Suspended", State = "{}", Revision = revision, CreatedAt = Now, UpdatedAt = Now,
    };

    private static BookmarkRecord Bookmark(string id) => new()
    {
        Id = $"bookmark-{id}", InstanceId = id, DefinitionId = "service-visit", Name = "Followup.AwaitArrival", Hash = "arrival",
        CorrelationId = id, ActivityNodeId = "flow:arrival", ActivityInstanceId = $"activity-{id}", DueAt = Now.AddDays(3), CreatedAt = Now,
    };

    private static JournalRecord Journal(string id, int sequence, string eventName) => new()
    {
        InstanceId = id, Sequence = sequence, Timestamp = Now, ActivityId = "reception", EventName = eventName,
    };

    private static OutboxRecord Message(string id) => new()
    {
        Id = Guid.NewGuid().ToString("N"), IdempotencyKey = $"{id}:welcome:0", Channel = "sms", Recipient = "+8613800000000",
        Payload = "{}", Urgent = true, CorrelationId = id, CreatedAt = Now, UpdatedAt = Now,
    };
}
