using Followup.Activities.Data;
using Followup.Activities.Service;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Persistence;
using Followup.Workflows.Persistence.Sql;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Followup.Workflows.Tests.Json;

namespace Followup.Activities.Tests;

/// <summary>
/// A resumed burst's first record write is prepared and saved by the commit, with the state (in the group commit);
/// anything the burst then reads or writes sees it; a prepared write the database refuses faults the step as a write
/// made on the spot would.
/// </summary>
public sealed class PreparedWriteTests
{
    private static readonly string[] Flow = [Delay("wait", "01:00:00"), Activity("greet", "Followup.RecordGreeting", Input("visitId", "String", ActivityHarness.VisitId)),
        Activity("step", "Followup.Tests.LookAtTheVisit")];

    private static readonly string[] Connections = [Connection("wait", "greet"), Connection("greet", "step")];

    /// <summary>
    /// Reads the visit through the dealership's records, as the visit steps do, and completes with what it saw and
    /// whether the burst held a transaction just before and after the read.
    /// </summary>
    [Activity("Followup.Tests", "Tests", "Looks at the visit.")]
    public sealed class LookAtTheVisit(DealershipRecords records) : Activity
    {
        /// <summary>What each instance saw, by its correlation id.</summary>
        public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Seen = new();

        public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
        {
            var before = context.Workflow.Transaction is null ? "prepared" : "in a transaction";
            var visit = await records.VisitAsync(context, ActivityHarness.VisitId);
            var after = context.Workflow.Transaction is null ? "prepared" : "in a transaction";
            var seen = $"{before}, greeted {visit.Visit.GreetedAt is not null}, then {after}";
            Seen[context.Workflow.CorrelationId ?? ""] = seen;
            await context.CompleteAsync(seen);
        }
    }

    [Fact]
    public async Task AResumedStepsWrite_IsPreparedAndCommittedWithTheState_AndALaterReadInTheBurstSeesIt()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var run = await h.RunFlowAsync(Flow, Connections);
        await h.AdvanceAsync(TimeSpan.FromHours(1));

        // The greeting held no transaction; the read after it saved it in the burst's transaction, and saw it.
        Assert.Equal("prepared, greeted True, then in a transaction", await h.OutcomeAsync(run.InstanceId));
        Assert.Equal("Finished", (await h.InstanceAsync(run.InstanceId)).SubStatus);
        Assert.Equal(new DateTime(2026, 3, 2, 2, 0, 0), (await h.VisitAsync()).GreetedAt);
        await using var db = await h.DbAsync();
        Assert.Equal(1, await db.Audit.CountAsync(a => a.Action == "step:Greeted"));
    }

    [Fact]
    public async Task AChildRunInline_AfterAPreparedWrite_ReadsIt()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var correlation = Guid.NewGuid().ToString("N");
        await h.Services.GetRequiredService<Followup.Workflows.Management.WorkflowDefinitionService>().ImportAsync(
            Workflow("look-at-the-visit", [Activity("step", "Followup.Tests.LookAtTheVisit")], []), Followup.Workflows.Management.ImportMode.NewVersion, publish: true, CancellationToken.None);
        var child = Activity("child", "Elsa.ExecuteWorkflow", Input("workflowDefinitionId", "String", "look-at-the-visit") + "," + Input("correlationId", "String", correlation));
        await h.RunFlowAsync([Flow[0], Flow[1], child], [Connections[0], Connection("greet", "child")]);

        await h.AdvanceAsync(TimeSpan.FromHours(1));

        // The parent made its greeting in the transaction the child shares before the child ran.
        Assert.Equal("in a transaction, greeted True, then in a transaction", LookAtTheVisit.Seen[correlation]);
    }

    [Fact]
    public async Task AStartedBurst_WritesAsItGoes()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var run = await h.RunFlowAsync([Flow[1], Flow[2]], [Connection("greet", "step")]);

        Assert.Equal("in a transaction, greeted True, then in a transaction", await h.OutcomeAsync(run.InstanceId));
    }

    /// <summary>Refused when the commit makes it, or when a later step's read makes it first.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task APreparedWriteTheDatabaseRefuses_FaultsTheStepThatWrote_AndWritesNothing(bool readAfter)
    {
        await using var h = await ActivityHarness.OpenAsync();
        var run = readAfter ? await h.RunFlowAsync(Flow, Connections) : await h.RunFlowAsync([Flow[0], Flow[1]], [Connections[0]]);
        await using (var db = await h.DbAsync())
        {
            await db.Database.ExecuteSqlRawAsync("""
                CREATE TRIGGER "NoGreetings" BEFORE UPDATE OF "GreetedAt" ON "Visits" WHEN NEW."GreetedAt" IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'greetings are refused'); END
                """);
        }

        await h.AdvanceAsync(TimeSpan.FromHours(1));

        var instance = await h.InstanceAsync(run.InstanceId);
        Assert.Equal(("Faulted", 1), (instance.SubStatus, instance.IncidentCount));
        Assert.Null((await h.VisitAsync()).GreetedAt);
        await using var read = await h.DbAsync();
        Assert.False(await read.Audit.AnyAsync(a => a.Action == "step:Greeted"));
        var incident = Assert.Single(await h.Services.GetRequiredService<WorkflowQueries>().ListIncidentsAsync(run.InstanceId, CancellationToken.None));
        Assert.Equal("greet", incident.ActivityId);
    }

    [Fact]
    public async Task APreparedWrite_RolledBackWithItsTransaction_IsWrittenWholeByTheNext()
    {
        await using var h = await ActivityHarness.OpenAsync();
        var database = h.Services.GetRequiredService<WorkflowDatabase>();
        var greeted = h.Clock.GetUtcNow().UtcDateTime;
        await using var prepared = new DealershipRecords.PreparedRecords(database);
        (await prepared.Context.Visits.FirstAsync(v => v.Id == ActivityHarness.VisitId)).GreetedAt = greeted;
        prepared.Context.Audit.Add(AuditEntry.Of("workflow:test", "step:Greeted", "Visit", ActivityHarness.VisitId, greeted));

        // A group that failed is rolled back, then each of its bursts is written again in a transaction of its own.
        await using (var group = await BurstTransaction.BeginAsync(database, CancellationToken.None))
        {
            await prepared.WriteAsync(group.Connection, group.Transaction, CancellationToken.None);
            await group.Transaction.RollbackAsync();
        }
        Assert.Null((await h.VisitAsync()).GreetedAt);
        await using (var alone = await BurstTransaction.BeginAsync(database, CancellationToken.None))
        {
            await prepared.WriteAsync(alone.Connection, alone.Transaction, CancellationToken.None);
            await alone.Transaction.CommitAsync();
        }

        Assert.Equal(greeted, (await h.VisitAsync()).GreetedAt);
        await using var db = await h.DbAsync();
        Assert.Equal(1, await db.Audit.CountAsync(a => a.Action == "step:Greeted"));
    }
}
