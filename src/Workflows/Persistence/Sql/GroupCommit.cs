using System.Threading.Channels;
using Followup.Workflows.Persistence.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Followup.Workflows.Persistence.Sql;

/// <summary>
/// Group commit: one writer takes every write that arrived while the previous group was being written and commits
/// them in one transaction, so many instances' bursts share one log write and their rows go in as multi-row inserts.
/// When anything in a group fails (a stale revision, a broken row), the group is rolled back and its writes are run
/// again one transaction each, so only the failing write's caller gets the exception. A caller's task completes only
/// after its commit.
/// </summary>
internal sealed class GroupCommit(WorkflowDatabase database) : IAsyncDisposable
{
    private const int MaxGroup = 500;

    /// <summary>How long the writer waits for readers to leave the log before it starts the log again.</summary>
    private const int CatchUpWaitMilliseconds = 5;

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

    public Task CommitAsync(WritePlan plan)
    {
        var pending = new Pending(plan);
        if (!_queue.Writer.TryWrite(pending))
            throw new ObjectDisposedException(nameof(GroupCommit), "The workflow store is shut down; nothing more is written.");
        if (Interlocked.Exchange(ref _started, 1) == 0)
            _writer = Task.Run(WriteGroupsAsync);
        return pending.Done.Task;
    }

    private async Task WriteGroupsAsync()
    {
        var group = new List<Pending>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var pending))
                group.Add(pending);
            // SQLite: the group waits its turn behind bursts that hold a transaction open, rather than retrying.
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

    private async Task WriteGroupAsync(List<Pending> group)
    {
        try
        {
            await CommitAsync(group.Select(p => p.Plan).ToList());
        }
        catch (Exception) when (group.Count > 1)
        {
            foreach (var pending in group)
                await WriteGroupAsync([pending]);
            return;
        }
        catch (Exception ex)
        {
            group[0].Done.TrySetException(ex);
            return;
        }
        foreach (var pending in group)
            pending.Done.TrySetResult();
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

    private async Task CommitAsync(IReadOnlyList<WritePlan> plans)
    {
        _session ??= await OpenSessionAsync();
        try
        {
            // SQLite: BEGIN IMMEDIATE, the write lock up front.
            await using var transaction = await _session.Connection.BeginTransactionAsync(CancellationToken.None);
            _session.Transaction = transaction;
            await WritePlan.ApplyAsync(_session, plans, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            _checkpointer?.Written();
        }
        catch (System.Data.Common.DbException) when (_session.Connection.State != System.Data.ConnectionState.Open)
        {
            // A broken connection is replaced at the next group.
            await _session.DisposeAsync();
            await _session.Connection.DisposeAsync();
            _session = null;
            throw;
        }
        finally
        {
            if (_session != null)
                _session.Transaction = null;
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

    private sealed record Pending(WritePlan Plan)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
