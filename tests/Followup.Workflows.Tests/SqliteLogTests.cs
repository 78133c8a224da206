using System.Buffers.Binary;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using static Followup.Workflows.Tests.Json;

namespace Followup.Workflows.Tests;

public sealed class SqliteLogTests
{
    /// <summary>
    /// SQLite starts its write-ahead log again only when a write begins with all of it copied into the database file,
    /// which a steady stream of commits never leaves time for. The writer's own limit is set out of reach here, so only
    /// the checkpoint thread's catch-up can bring the log back to its start; without it the log only grows.
    /// </summary>
    [Fact]
    public async Task UnderASteadyStreamOfCommits_TheLogStartsAgain_WithoutTheWriterCheckpointingItself()
    {
        var caughtUp = await RestartsDuringASteadyStreamAsync(new SqliteLogLimits(RestartAfterPages: 256, WriterLimitPages: int.MaxValue));
        var left = await RestartsDuringASteadyStreamAsync(new SqliteLogLimits(RestartAfterPages: int.MaxValue, WriterLimitPages: int.MaxValue));

        Assert.True(caughtUp >= left + 3, $"The log started again {caughtUp} times with catch-ups and {left} times without.");
    }

    /// <summary>
    /// How many times the log started again while 16 callers at once each start instances and resume them, 2,000 in
    /// all: the log's header counts its restarts.
    /// </summary>
    private static async Task<uint> RestartsDuringASteadyStreamAsync(SqliteLogLimits limits)
    {
        await using var h = new WorkflowHarness(log: limits);
        var id = await h.ImportAsync(Workflow("approval",
            [Activity("start", "Elsa.Start"), Event("wait", "EstimateApproved"), WriteLine("go", "Approved")],
            [Connection("start", "wait"), Connection("wait", "go")]));
        var visits = Enumerable.Range(0, 2_000).Select(i => $"visit-{i}").ToArray();
        var callers = new ParallelOptions { MaxDegreeOfParallelism = 16 };

        await Parallel.ForEachAsync(visits, callers, async (visit, ct) =>
        {
            await h.StartAsync(id, correlationId: visit);
            await h.Runtime.PublishEventAsync("EstimateApproved", null, visit, null, ct);
        });

        var instances = await h.Queries.ListInstancesAsync(id, CancellationToken.None);
        Assert.Equal(visits.Length, instances.Count(i => i.SubStatus == nameof(WorkflowSubStatus.Finished)));
        var header = new byte[16];
        await using (var log = new FileStream(h.DbPath + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            await log.ReadExactlyAsync(header);
        return BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12));
    }
}
