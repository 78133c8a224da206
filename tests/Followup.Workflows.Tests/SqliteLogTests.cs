using System.Buffers.Binary;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
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
    /// A connection that writes records or a burst's own transaction commits alone; had it SQLite's automatic checkpoint
    /// at 1,000 pages, a log longer than that (the usual case between two restarts of the log) would be copied into the
    /// database file inside its commit, with two syncs of the disk, while every other writer waits its turn. The file
    /// grows only when pages are copied into it.
    /// </summary>
    [Fact]
    public async Task AWriteOnTheEnginesConnections_LeavesALongLogToTheCheckpointThread()
    {
        var path = Path.Combine(Path.GetTempPath(), $"followup-log-{Guid.NewGuid():N}.db");
        var database = WorkflowDatabase.Sqlite($"Data Source={path};Pooling=False");
        try
        {
            // Another connection keeps the log (the last one to close copies it all) and writes 1,500 pages to it.
            await using var other = new SqliteConnection(database.ConnectionString);
            await other.OpenAsync();
            await ExecuteAsync(other, """
                PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t (x BLOB);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) INSERT INTO t SELECT randomblob(4000) FROM n;
                """);
            var file = new FileInfo(path).Length;

            await using (var burst = await database.OpenAsync(forWriting: true, CancellationToken.None))
                await ExecuteAsync(burst, "INSERT INTO t VALUES (x'01')");
            Assert.Equal(file, new FileInfo(path).Length);

            await using (var records = new WorkflowDbContext(database.Configure(new DbContextOptionsBuilder<WorkflowDbContext>()).Options))
                await records.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (x'02')");
            Assert.Equal(file, new FileInfo(path).Length);
        }
        finally
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                File.Delete(path + suffix);
        }

        static async Task ExecuteAsync(System.Data.Common.DbConnection connection, string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// The engine's writers hand the file on from one to the next, the next one already waiting its turn. A context's
    /// write (a visit opened at the desk, a message marked sent) takes its turn among them: before, it waited on
    /// SQLite's busy handler, which only finds the file free by chance between two of them, and failed with "database
    /// is locked" once its busy timeout had passed.
    /// </summary>
    [Fact]
    public async Task AContextsWrite_TakesItsTurnAmongTheEnginesWriters()
    {
        using var file = new PooledFile();
        var (database, options) = (file.Database, file.Options);
        await using (var setup = new WorkflowDbContext(options))
            await setup.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL; CREATE TABLE t (x BLOB);");
        using var stop = new CancellationTokenSource();
        var bursts = 0;
        var writers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using var burst = await Persistence.Sql.BurstTransaction.BeginAsync(database, CancellationToken.None);
                // One row written, then some 20 ms of work with the file held, as a burst's steps.
                await using (var command = burst.Connection.CreateCommand())
                {
                    command.Transaction = burst.Transaction;
                    command.CommandText = "INSERT INTO t VALUES (x'01'); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT sum(i) FROM n";
                    await command.ExecuteNonQueryAsync();
                }
                await burst.Transaction.CommitAsync();
                Interlocked.Increment(ref bursts);
            }
        })).ToArray();
        while (Volatile.Read(ref bursts) < 4)
            await Task.Yield();

        // Rows are numbered in the order their writes committed: the engine's writes passed meanwhile are counted
        // from the rows, not from when this test gets to look (on a busy machine, later).
        long rowsBefore;
        await using (var context = new WorkflowDbContext(options))
        {
            // A read first: the context and its connection are ready before the count starts.
            await context.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM t").SingleAsync();
            rowsBefore = Volatile.Read(ref bursts);
            await context.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (x'02')");
        }
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        long mine;
        await using (var context = new WorkflowDbContext(options))
            mine = await context.Database.SqlQueryRaw<long>("SELECT rowid AS \"Value\" FROM t WHERE x = x'02'").SingleAsync();
        var waited = mine - 1 - rowsBefore;

        Assert.True(waited <= 3, $"The context's write waited for {waited} of the engine's writes.");
    }

    /// <summary>
    /// A context gives the writers' turn back however its write ends: committed, rolled back, a transaction left without
    /// either, a statement that fails, one cancelled. A turn kept would stop every writer of the process.
    /// </summary>
    [Fact]
    public async Task AContextGivesTheTurnBack_HoweverItsWriteEnds()
    {
        using var file = new PooledFile();
        var options = file.Options;
        var turn = Persistence.Sqlite.SqliteWriteTurns.For(file.Database);
        await using (var setup = new WorkflowDbContext(options))
            await setup.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER PRIMARY KEY);");
        Assert.Equal(1, turn.CurrentCount);

        await using (var committed = new WorkflowDbContext(options))
        {
            await using var transaction = await committed.Database.BeginTransactionAsync();
            Assert.Equal(0, turn.CurrentCount); // held from the transaction's start
            await committed.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (1)");
            await transaction.CommitAsync();
        }
        Assert.Equal(1, turn.CurrentCount);

        await using (var rolledBack = new WorkflowDbContext(options))
        {
            await using var transaction = await rolledBack.Database.BeginTransactionAsync();
            await rolledBack.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (2)");
            await transaction.RollbackAsync();
        }
        Assert.Equal(1, turn.CurrentCount);

        await using (var abandoned = new WorkflowDbContext(options))
        {
            await using var transaction = await abandoned.Database.BeginTransactionAsync();
            await abandoned.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (3)");
        }
        Assert.Equal(1, turn.CurrentCount);

        await using (var failing = new WorkflowDbContext(options))
            await Assert.ThrowsAsync<SqliteException>(() => failing.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (1)"));
        Assert.Equal(1, turn.CurrentCount);

        await using (var cancelled = new WorkflowDbContext(options))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (4)", new CancellationToken(true)));
        Assert.Equal(1, turn.CurrentCount);

        // A write that returns rows outside a transaction holds the turn until its reader is closed.
        await using (var returning = new WorkflowDbContext(options))
            Assert.Equal([5L], await returning.Database.SqlQueryRaw<long>("INSERT INTO t VALUES (5) RETURNING x AS \"Value\"").ToListAsync());
        Assert.Equal(1, turn.CurrentCount);

        await using (var check = new WorkflowDbContext(options))
            Assert.Equal([1L, 5L], await check.Database.SqlQueryRaw<long>("SELECT x AS \"Value\" FROM t ORDER BY x").ToListAsync());
    }

    /// <summary>
    /// A turn that does not come within SQLite's busy timeout (a writer stuck with it) fails a burst and a context's
    /// write as SQLite would, "database is locked", instead of keeping them waiting; neither gives back a turn it never
    /// had. A read meanwhile takes no turn and answers at once.
    /// </summary>
    [Fact]
    public async Task ATurnThatDoesNotCome_FailsTheWriteAsSqliteWould()
    {
        using var file = new PooledFile();
        await using (var setup = new WorkflowDbContext(file.Options))
            await setup.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER);");
        var turn = Persistence.Sqlite.SqliteWriteTurns.For(file.Database);
        await turn.WaitAsync();
        try
        {
            var burst = Assert.ThrowsAsync<SqliteException>(() => Persistence.Sql.BurstTransaction.BeginAsync(file.Database, CancellationToken.None));
            await using var context = new WorkflowDbContext(file.Options);
            var write = Assert.ThrowsAsync<SqliteException>(() => context.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (1)"));
            // A read takes no turn: it answers while the writes wait.
            await using (var reader = new WorkflowDbContext(file.Options))
                Assert.Equal(0L, await reader.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM t").SingleAsync());
            Assert.False(burst.IsCompleted || write.IsCompleted);
            Assert.All(await Task.WhenAll(burst, write), e => Assert.Equal(5, e.SqliteErrorCode)); // SQLITE_BUSY: "database is locked"
            Assert.Equal(0, turn.CurrentCount);
        }
        finally
        {
            turn.Release();
        }
        Assert.Equal(1, turn.CurrentCount);
        await using (var after = new WorkflowDbContext(file.Options))
            Assert.Equal(1, await after.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (2)"));
    }

    /// <summary>
    /// The pool keeps SQLite's connection open between uses, and the settings stay with it: they are sent when it is
    /// first opened, not each time a context takes it from the pool again (a context opens its connection for each
    /// query). A setting changed on purpose on the pooled connection stays changed; a new connection gets them all.
    /// </summary>
    [Fact]
    public async Task TheEnginesSettings_AreSentOncePerConnection_NotEachTimeTheContextOpensIt()
    {
        using var file = new PooledFile();
        var options = file.Options;
        await using (var first = new WorkflowDbContext(options))
        {
            Assert.Equal(1, await ScalarAsync(first, "PRAGMA synchronous")); // NORMAL
            await first.Database.ExecuteSqlRawAsync("PRAGMA synchronous=FULL");
        }
        await using (var again = new WorkflowDbContext(options))
            Assert.Equal(2, await ScalarAsync(again, "PRAGMA synchronous")); // the pool's connection, as it was left

        file.ClearPool();
        await using (var fresh = new WorkflowDbContext(options))
        {
            Assert.Equal(1, await ScalarAsync(fresh, "PRAGMA synchronous"));
            Assert.Equal(Persistence.Sqlite.SqlitePragmaInterceptor.BusyTimeoutMilliseconds, await ScalarAsync(fresh, "PRAGMA busy_timeout"));
        }

        static async Task<long> ScalarAsync(DbContext context, string sql)
        {
            var connection = context.Database.GetDbConnection();
            await context.Database.OpenConnectionAsync();
            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                return Convert.ToInt64(await command.ExecuteScalarAsync());
            }
            finally
            {
                await context.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>A SQLite file of its own, on pooled connections with the engine's settings; its pool is cleared and the file deleted at the end.</summary>
    private sealed class PooledFile : IDisposable
    {
        private readonly string _path = Path.Combine(Path.GetTempPath(), $"followup-pooled-{Guid.NewGuid():N}.db");

        public PooledFile()
        {
            Database = WorkflowDatabase.Sqlite($"Data Source={_path}");
            Options = Database.Configure(new DbContextOptionsBuilder<WorkflowDbContext>()).Options;
        }

        public WorkflowDatabase Database { get; }

        public DbContextOptions Options { get; }

        /// <summary>Closes the pool's connections to the file: the next context opens a new one.</summary>
        public void ClearPool()
        {
            using var connection = new SqliteConnection(Database.ConnectionString);
            SqliteConnection.ClearPool(connection);
        }

        public void Dispose()
        {
            ClearPool();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                File.Delete(_path + suffix);
        }
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
