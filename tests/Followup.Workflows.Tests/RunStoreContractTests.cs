using Followup.Testing;
using Followup.Workflows.Persistence;
using Followup.Workflows.Persistence.Sql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Workflows.Tests;

/// <summary>A module's own row, to show that bursts write module rows through the seam (<see cref="BurstRecords"/>).</summary>
public sealed class NoteRecord
{
    public required string Id { get; set; }
    public required string Key { get; set; }
    public required string Text { get; set; }
    public DateTime At { get; set; }
}

public sealed class NotesDbContext(DbContextOptions<NotesDbContext> options) : DbContext(options)
{
    public DbSet<NoteRecord> Notes => Set<NoteRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<NoteRecord>(e =>
    {
        e.ToTable("Notes");
        e.HasKey(x => x.Id);
        e.HasIndex(x => x.Key).IsUnique();
    });
}

/// <summary>
/// What every run store must do, run against each: the SQLite fast path and the PostgreSQL store. Bursts committed
/// together keep their rows and fail alone; a stale revision changes nothing; module rows commit with their burst.
/// </summary>
public abstract class RunStoreContractTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    protected abstract Task<WorkflowDatabase> DatabaseAsync();

    private async Task<ServiceProvider> OpenAsync()
    {
        var database = await DatabaseAsync();
        var services = new ServiceCollection().AddLogging().AddFollowupWorkflows(database);
        services.AddDbContextFactory<NotesDbContext>(o => database.Configure(o));
        services.AddWorkflowRecords<NotesDbContext>();
        var provider = services.BuildServiceProvider();
        await provider.InitializeWorkflowsAsync(CancellationToken.None);
        await using var notes = await provider.GetRequiredService<IDbContextFactory<NotesDbContext>>().CreateDbContextAsync();
        await notes.Database.ExecuteSqlRawAsync("""CREATE TABLE "Notes" ("Id" TEXT NOT NULL PRIMARY KEY, "Key" TEXT NOT NULL UNIQUE, "Text" TEXT NOT NULL, "At" TIMESTAMP NOT NULL)""");
        return provider;
    }

    private static async Task<List<NoteRecord>> NotesAsync(ServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<NotesDbContext>>().CreateDbContextAsync();
        return await db.Notes.AsNoTracking().OrderBy(n => n.Key).ToListAsync();
    }

    [Fact]
    public async Task Bursts_committed_together_keep_their_rows_and_a_failing_one_fails_alone()
    {
        await using var services = await OpenAsync();
        var store = services.GetRequiredService<IWorkflowRunStore>();
        var queries = services.GetRequiredService<WorkflowQueries>();
        await store.CommitAsync(Burst("visit-0"), CancellationToken.None);

        // Twenty bursts, a stale revision and a burst whose second row breaks (its bookmark id is taken), all at once.
        var fresh = Enumerable.Range(1, 20).Select(i => store.CommitAsync(Burst($"visit-{i}"), CancellationToken.None)).ToList();
        var stale = store.CommitAsync(new CommitBatch { Instance = Instance("visit-0", revision: 5), ExpectedRevision = 4 }, CancellationToken.None);
        var broken = store.CommitAsync(Burst("broken") with { AddedBookmarks = [Bookmark("visit-0")] }, CancellationToken.None);

        await Task.WhenAll(fresh);
        await Assert.ThrowsAsync<WorkflowConcurrencyException>(() => stale);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => broken);
        Assert.Null(await store.FindInstanceAsync("broken", CancellationToken.None));
        Assert.Equal(21, (await queries.ListInstancesAsync("service-visit", CancellationToken.None)).Count);

        // What the plain SQL wrote reads back through EF Core: times, nulls, the journal, the module's rows (one per key).
        var notes = await NotesAsync(services);
        Assert.Equal(21, notes.Count);
        Assert.DoesNotContain(notes, n => n.Key == "note-broken");
        Assert.Equal(("welcome visit-7", Now), (notes.Single(n => n.Key == "note-visit-7").Text, notes.Single(n => n.Key == "note-visit-7").At));
        Assert.Equal(["Started", "Completed"], (await queries.ListJournalAsync("visit-7", CancellationToken.None)).Select(j => j.EventName));
        var bookmark = await store.FindBookmarkAsync("visit-7", "bookmark-visit-7", CancellationToken.None);
        Assert.Equal(Now.AddDays(3), bookmark!.DueAt);
        var (targets, _) = await store.FindStimulusTargetsAsync("arrival", "visit-7", null, withTriggers: false, CancellationToken.None);
        Assert.Equal(new BookmarkTarget("visit-7", "bookmark-visit-7"), Assert.Single(targets));
    }

    [Fact]
    public async Task A_burst_updates_a_module_row_and_a_stale_burst_changes_none()
    {
        await using var services = await OpenAsync();
        var store = services.GetRequiredService<IWorkflowRunStore>();
        await store.CommitAsync(Burst("visit-1"), CancellationToken.None);
        var note = (await NotesAsync(services)).Single();

        note.Text = "answered";
        await store.CommitAsync(Next("visit-1", 2, [new RecordWrite(note, RecordWriteKind.Update)]), CancellationToken.None);
        note.Text = "answered twice";
        await Assert.ThrowsAsync<WorkflowConcurrencyException>(() => store.CommitAsync(Next("visit-1", 2, [new RecordWrite(note, RecordWriteKind.Update)]), CancellationToken.None));

        Assert.Equal("answered", (await NotesAsync(services)).Single().Text);
        Assert.Equal(2, (await store.FindInstanceAsync("visit-1", CancellationToken.None))!.Revision);
        Assert.Equal(2, (await store.FindInstanceToRunAsync("visit-1", CancellationToken.None))!.Revision);
    }

    [Fact]
    public async Task A_burst_holding_a_transaction_commits_its_records_with_its_state_and_one_that_does_not_commit_leaves_none()
    {
        await using var services = await OpenAsync();
        var store = services.GetRequiredService<IWorkflowRunStore>();
        var database = services.GetRequiredService<WorkflowDatabase>();
        await store.CommitAsync(Burst("visit-0"), CancellationToken.None);

        // Written by a step through EF Core and committed with the burst's state.
        await using (var kept = await BurstTransaction.BeginAsync(database, CancellationToken.None))
        {
            await WriteNoteAsync(services, kept, "kept");
            await store.CommitAsync(Burst("visit-1") with { Transaction = kept }, CancellationToken.None);
        }
        // A burst that fails after its step wrote: the transaction ends without a commit.
        await using (var failed = await BurstTransaction.BeginAsync(database, CancellationToken.None))
            await WriteNoteAsync(services, failed, "failed");
        // A child run inline writes its state in its parent's transaction, which then does not commit.
        await using (var parent = await BurstTransaction.BeginAsync(database, CancellationToken.None))
        {
            await WriteNoteAsync(services, parent, "parent");
            await store.CommitAsync(Burst("child") with { Transaction = parent, CommitTransaction = false }, CancellationToken.None);
        }
        // A stale burst: its revision check fails after its step wrote.
        await using (var stale = await BurstTransaction.BeginAsync(database, CancellationToken.None))
        {
            await WriteNoteAsync(services, stale, "stale");
            await Assert.ThrowsAsync<WorkflowConcurrencyException>(() =>
                store.CommitAsync(Next("visit-0", 3, []) with { Transaction = stale }, CancellationToken.None));
        }

        Assert.Equal(["note-kept", "note-visit-0", "note-visit-1"], (await NotesAsync(services)).Select(n => n.Key));
        Assert.NotNull(await store.FindInstanceAsync("visit-1", CancellationToken.None));
        Assert.Null(await store.FindInstanceAsync("child", CancellationToken.None));
        Assert.Equal(1, (await store.FindInstanceAsync("visit-0", CancellationToken.None))!.Revision);
    }

    /// <summary>A note written as a step writes its records: a context over the burst's connection, enlisted in its transaction.</summary>
    private static async Task WriteNoteAsync(ServiceProvider services, BurstTransaction burst, string key)
    {
        var factory = services.GetRequiredService<IDbContextFactory<NotesDbContext>>();
        await using var db = await burst.ContextAsync(connection =>
        {
            var context = factory.CreateDbContext();
            context.Database.SetDbConnection(connection);
            return context;
        }, CancellationToken.None);
        db.Notes.Add(new NoteRecord { Id = Guid.NewGuid().ToString("N"), Key = $"note-{key}", Text = key, At = Now });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Timers_are_listed_in_due_order_a_page_at_a_time_and_keep_their_jobs()
    {
        await using var services = await OpenAsync();
        var store = services.GetRequiredService<IWorkflowRunStore>();
        for (var i = 0; i < 5; i++)
        {
            var timer = Bookmark($"visit-{i}");
            timer.DueAt = Now.AddHours(5 - i);
            await store.CommitAsync(Burst($"visit-{i}") with { AddedBookmarks = [timer] }, CancellationToken.None);
        }

        var first = await store.ListTimersAsync(Now.AddHours(4), DateTime.MinValue, "", 2, CancellationToken.None);
        Assert.Equal(["visit-4", "visit-3"], first.Select(t => t.InstanceId));
        var next = await store.ListTimersAsync(Now.AddHours(4), first[^1].DueAt!.Value, first[^1].Id, 2, CancellationToken.None);
        Assert.Equal(["visit-2", "visit-1"], next.Select(t => t.InstanceId));
        Assert.Equal(5, (await store.ListUnscheduledTimersAsync(Now.AddHours(5), Now.AddMinutes(1), CancellationToken.None)).Count);
        Assert.Equal(["visit-3", "visit-4"], (await store.ListUnscheduledTimersAsync(Now.AddHours(2), Now.AddMinutes(1), CancellationToken.None)).Select(t => t.InstanceId).Order());
        Assert.Empty(await store.ListUnscheduledTimersAsync(Now.AddHours(5), Now.AddMinutes(-1), CancellationToken.None));

        await store.SetSchedulerJobIdAsync("visit-2", "bookmark-visit-2", "job-2", CancellationToken.None);
        Assert.Equal("job-2", (await store.FindBookmarkAsync("visit-2", "bookmark-visit-2", CancellationToken.None))!.SchedulerJobId);
        Assert.Equal(4, (await store.ListUnscheduledTimersAsync(Now.AddHours(5), Now.AddMinutes(1), CancellationToken.None)).Count);
    }

    private static CommitBatch Burst(string id) => new()
    {
        IsNew = true,
        Instance = Instance(id, revision: 1),
        AddedBookmarks = [Bookmark(id)],
        Journal = [Journal(id, 1, "Started"), Journal(id, 2, "Completed")],
        Records =
        [
            new RecordWrite(Note(id), RecordWriteKind.InsertUnlessExists),
            new RecordWrite(Note(id), RecordWriteKind.InsertUnlessExists),
        ],
    };

    private static CommitBatch Next(string id, int revision, IReadOnlyList<RecordWrite> records) => new()
    {
        Instance = Instance(id, revision),
        ExpectedRevision = revision - 1,
        Records = records,
    };

    private static NoteRecord Note(string id) => new() { Id = Guid.NewGuid().ToString("N"), Key = $"note-{id}", Text = $"welcome {id}", At = Now };

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
}

public sealed class SqliteRunStoreTests : RunStoreContractTests, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("followup-store").FullName;

    protected override Task<WorkflowDatabase> DatabaseAsync() => Task.FromResult(WorkflowDatabase.Sqlite($"Data Source={Path.Combine(_folder, "followup.db")}"));


    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed class PostgresRunStoreTests(PostgresServer postgres) : RunStoreContractTests, IClassFixture<PostgresServer>
{
    protected override async Task<WorkflowDatabase> DatabaseAsync() => WorkflowDatabase.Postgres(await postgres.CreateDatabaseAsync());
}
