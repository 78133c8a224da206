using System.Threading.Channels;
using Followup.Workflows.Persistence.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Followup.Workflows.Persistence.Sql;

/// <summary>
/// Group commit: one writer takes every write that arrived while the previous group was being written and commits
/// them in one transaction, so many instances' bursts share one log write and their rows go in as multi-row inserts.
/// On SQLite a burst whose steps read and write records joins a group too (<see cref="JoinAsync"/>): the writer lends
/// it the group's connection, its steps and its own state are written inside the group's transaction under a
/// savepoint of its own, and the plans that came meanwhile follow it into the same commit. A joined burst ends its
/// group, so it waits for no other burst's steps. Each write is fenced by a savepoint, so when one fails (a stale
/// revision, a broken row, a burst that ends without committing) only its own changes are rolled back and only its
/// caller gets the exception; the plans written together with a failing one are written again one savepoint each. A
/// caller's task completes only after the group's commit.
/// </summary>
internal sealed class GroupCommit(WorkflowDatabase database) : IAsyncDisposable
{
    private const int MaxGroup = 500;

    /// <summary>How long the writer waits for readers to leave the log before it starts the log again.</summary>
    private const int CatchUpWaitMilliseconds = 5;

    /// <summary>The savepoint around each write of a group, set, kept and undone with statements prepared once on the writer's session.</summary>
    private const string Fence = "SAVEPOINT group_write", KeepFence = "RELEASE SAVEPOINT group_write", UndoFence = "ROLLBACK TO SAVEPOINT group_write";

    /// <summary>
    /// The writer connection's page cache on SQLite, in KiB: SQLite's default. A larger cache saves reading a waiting
    /// instance's page before its update, but costs more than it saves: whenever a B-tree split renumbers pages, SQLite
    /// parks a page under the lock-byte page's number (page 262,145 at 4 KiB), and the commit then walks the whole cache
    /// to drop pages numbered beyond the file's end. With 64 MiB that walk took a twelfth of the process's CPU.
    /// </summary>
    private const int WriterCacheKiB = 2_000;

    private readonly SemaphoreSlim? _turns = database.Provider == DatabaseProvider.Sqlite ? SqliteWriteTurns.For(database) : null;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private int _started;
    private Task _writer = Task.CompletedTask;

    /// <summary>The writer's own connection and prepared statements, kept from group to group.</summary>
    private SqlSession? _session;

    /// <summary>SQLite: checkpoints run beside the writer instead of inside its commits.</summary>
    private WalCheckpointer? _checkpointer;

    /// <summary>1 when the checkpointer has copied nearly all of a long log and the writer should copy the rest before its next group.</summary>
    private int _catchUp;

    public WorkflowDatabase Database => database;

    public Task CommitAsync(WritePlan plan)
    {
        var pending = new PlanWrite(plan);
        Enqueue(pending);
        return pending.Done.Task;
    }

    /// <summary>
    /// A place for a burst in the next group: the group's connection and transaction, lent to the burst until it
    /// commits or ends (<see cref="GroupSlot.Commit"/>, <see cref="GroupSlot.Leave"/>). The writer waits meanwhile,
    /// so a burst holding its place must not wait for another write of this store.
    /// </summary>
    public Task<GroupSlot> JoinAsync(CancellationToken cancellationToken)
    {
        var slot = new GroupSlot(cancellationToken);
        Enqueue(slot);
        return slot.Granted;
    }

    private void Enqueue(Pending pending)
    {
        if (!_queue.Writer.TryWrite(pending))
            throw new ObjectDisposedException(nameof(GroupCommit), "The workflow store is shut down; nothing more is written.");
        if (Interlocked.Exchange(ref _started, 1) == 0)
            _writer = Task.Run(WriteGroupsAsync);
    }

    private async Task WriteGroupsAsync()
    {
        var group = new List<Pending>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            Take(group, plansOnly: false);
            // SQLite: the group waits its turn behind other hosts' groups and bursts on the same file, rather than retrying.
            if (_turns != null)
                await _turns.WaitAsync();
            try
            {
                if (Interlocked.Exchange(ref _catchUp, 0) == 1)
                    CatchUp();
                await WriteGroupAsync(group);
            }
            finally
            {
                _turns?.Release();
            }
            group.Clear();
        }
    }

    /// <summary>
    /// Adds what is queued to the group, in order: plans, up to and including the first joined burst. A joined burst
    /// ends its group, so that it never waits for another burst's steps before its commit.
    /// </summary>
    private void Take(List<Pending> group, bool plansOnly)
    {
        while (group.Count < MaxGroup && _queue.Reader.TryPeek(out var next))
        {
            if (plansOnly && next is GroupSlot)
                return;
            _queue.Reader.TryRead(out _);
            group.Add(next);
            if (next is GroupSlot)
                return;
        }
    }

    /// <summary>
    /// Writes a group in one transaction: its plans, then the joined burst it ends with, if any, followed by the plans
    /// that came while that burst held the connection.
    /// </summary>
    private async Task WriteGroupAsync(List<Pending> group)
    {
        try
        {
            _session ??= await OpenSessionAsync();
            // SQLite: BEGIN IMMEDIATE, the write lock up front.
            await using var transaction = await _session.Connection.BeginTransactionAsync(CancellationToken.None);
            _session.Transaction = transaction;
            await ApplyAsync(group.OfType<PlanWrite>().ToList(), _session);
            if (group[^1] is GroupSlot slot)
            {
                await LendAsync(slot, _session, transaction);
                var joined = group.Count;
                Take(group, plansOnly: true);
                await ApplyAsync(group.Skip(joined).Cast<PlanWrite>().ToList(), _session);
            }
            await transaction.CommitAsync(CancellationToken.None);
            _checkpointer?.Written();
        }
        catch (Exception ex)
        {
            if (_session is { } session && ex is System.Data.Common.DbException && session.Connection.State != System.Data.ConnectionState.Open)
            {
                // A broken connection is replaced at the next group.
                await session.DisposeAsync();
                await session.Connection.DisposeAsync();
                _session = null;
            }
            foreach (var pending in group)
                pending.Fail(ex);
            return;
        }
        finally
        {
            if (_session != null)
                _session.Transaction = null;
        }
        foreach (var pending in group)
            pending.Done.TrySetResult();
    }

    /// <summary>Plans in one savepoint; when that fails, each again in its own, so only a failing plan's caller gets its exception.</summary>
    private static async Task ApplyAsync(List<PlanWrite> plans, SqlSession session)
    {
        if (plans.Count == 0)
            return;
        await session.ExecuteAsync(Fence, [], CancellationToken.None);
        try
        {
            await WritePlan.ApplyAsync(session, plans.ConvertAll(p => p.Plan), CancellationToken.None);
        }
        catch (Exception ex)
        {
            await session.ExecuteAsync(UndoFence, [], CancellationToken.None);
            await session.ExecuteAsync(KeepFence, [], CancellationToken.None);
            if (plans.Count == 1)
            {
                plans[0].Done.TrySetException(ex);
                return;
            }
            foreach (var plan in plans)
                await ApplyAsync([plan], session);
            return;
        }
        await session.ExecuteAsync(KeepFence, [], CancellationToken.None);
    }

    /// <summary>Lends the group's connection to a joined burst and waits until it commits (its writes stay) or ends (they are rolled back).</summary>
    private static async Task LendAsync(GroupSlot slot, SqlSession session, System.Data.Common.DbTransaction transaction)
    {
        await session.ExecuteAsync(Fence, [], CancellationToken.None);
        if (!slot.Lend(session, transaction))
        {
            // The burst stopped waiting (its request was cancelled) and writes nothing.
            await session.ExecuteAsync(KeepFence, [], CancellationToken.None);
            return;
        }
        if (!await slot.Returned)
            await session.ExecuteAsync(UndoFence, [], CancellationToken.None);
        await session.ExecuteAsync(KeepFence, [], CancellationToken.None);
    }

    /// <summary>
    /// Copies the last pages of the log into the database file and waits, briefly, for the readers still on the log, so
    /// that the next group's commit starts the log again from its beginning (SQLite does so only when a write begins
    /// with all of the log copied and no reader on it). When a reader takes longer, nothing changes: the log goes on
    /// growing until the next try.
    /// </summary>
    private void CatchUp()
    {
        if (_session?.Connection is not SqliteConnection { Handle: { } handle } connection)
            return;
        // A checkpoint kept waiting returns "busy" in its row rather than failing.
        raw.sqlite3_busy_timeout(handle, CatchUpWaitMilliseconds);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(RESTART)";
            command.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // Left to the next try; a broken connection fails the next group and is replaced.
        }
        finally
        {
            raw.sqlite3_busy_timeout(handle, SqlitePragmaInterceptor.BusyTimeoutMilliseconds);
        }
    }

    private async Task<SqlSession> OpenSessionAsync()
    {
        var connection = await database.OpenAsync(forWriting: true, CancellationToken.None);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = $"PRAGMA cache_size=-{WriterCacheKiB}";
                await command.ExecuteNonQueryAsync();
            }
            _checkpointer ??= new WalCheckpointer(database.ConnectionString, database.Log.RestartAfterPages, () => Volatile.Write(ref _catchUp, 1));
        }
        return new SqlSession(connection);
    }

    /// <summary>Writes what is queued, then closes the writer's connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
        if (_session is { } session)
        {
            await session.DisposeAsync();
            await session.Connection.DisposeAsync();
        }
        _checkpointer?.Dispose();
    }

    /// <summary>A write waiting for its group.</summary>
    internal abstract class Pending
    {
        /// <summary>Completes once the group's commit is done.</summary>
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public virtual void Fail(Exception exception) => Done.TrySetException(exception);
    }

    private sealed class PlanWrite(WritePlan plan) : Pending
    {
        public WritePlan Plan => plan;
    }
}

/// <summary>
/// A burst's place in a group (<see cref="GroupCommit.JoinAsync"/>): the group's connection, transaction and prepared
/// statements, the burst's until it gives them back by committing (its writes commit with the group) or leaving
/// (they are rolled back).
/// </summary>
internal sealed class GroupSlot : GroupCommit.Pending
{
    private readonly TaskCompletionSource<GroupSlot> _granted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _returned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration _cancelled;
    private int _given;

    public GroupSlot(CancellationToken cancellationToken) =>
        _cancelled = cancellationToken.Register(() => _granted.TrySetCanceled(cancellationToken));

    public Task<GroupSlot> Granted => _granted.Task;

    internal Task<bool> Returned => _returned.Task;

    public SqlSession Session { get; private set; } = null!;
    public System.Data.Common.DbTransaction Transaction { get; private set; } = null!;

    /// <summary>False when the burst no longer waits.</summary>
    internal bool Lend(SqlSession session, System.Data.Common.DbTransaction transaction)
    {
        Session = session;
        Transaction = transaction;
        _cancelled.Dispose();
        return _granted.TrySetResult(this);
    }

    /// <summary>Gives the connection back with the burst's writes kept, and waits for the group's commit.</summary>
    public Task Commit()
    {
        GiveBack(keep: true);
        return Done.Task;
    }

    /// <summary>Gives the connection back with the burst's writes rolled back.</summary>
    public void Leave() => GiveBack(keep: false);

    private void GiveBack(bool keep)
    {
        if (Interlocked.Exchange(ref _given, 1) == 0)
            _returned.TrySetResult(keep);
    }

    public override void Fail(Exception exception)
    {
        _granted.TrySetException(exception);
        base.Fail(exception);
    }
}
