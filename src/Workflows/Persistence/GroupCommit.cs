using System.Threading.Channels;

namespace Followup.Workflows.Persistence;

/// <summary>
/// Group commit: one writer takes every write that arrived while the previous group was being written and commits
/// them in one transaction, so many instances' bursts share one log write and one writer lock instead of queueing
/// for it one by one. Each write runs in its own savepoint: a stale revision or a broken row fails that write alone,
/// and its caller gets the exception; the others commit. A caller's task completes only after the commit.
/// </summary>
internal sealed class GroupCommit(WorkflowDatabase database)
{
    private const int MaxGroup = 500;
    private const string Savepoint = "write";

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private int _started;

    public Task CommitAsync(Func<SqlSession, CancellationToken, Task> write)
    {
        var pending = new Pending(write);
        _queue.Writer.TryWrite(pending);
        if (Interlocked.Exchange(ref _started, 1) == 0)
            _ = Task.Run(WriteGroupsAsync);
        return pending.Done.Task;
    }

    private async Task WriteGroupsAsync()
    {
        var group = new List<Pending>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var pending))
                group.Add(pending);
            await WriteGroupAsync(group);
            group.Clear();
        }
    }

    private async Task WriteGroupAsync(List<Pending> group)
    {
        var failures = new Exception?[group.Count];
        try
        {
            await using var transaction = await BurstTransaction.BeginAsync(database, CancellationToken.None);
            await using (var session = new SqlSession(transaction.Connection, transaction.Transaction))
            {
                for (var i = 0; i < group.Count; i++)
                {
                    await transaction.Transaction.SaveAsync(Savepoint);
                    try
                    {
                        await group[i].Write(session, CancellationToken.None);
                        await transaction.Transaction.ReleaseAsync(Savepoint);
                    }
                    catch (Exception ex)
                    {
                        await transaction.Transaction.RollbackAsync(Savepoint);
                        failures[i] = ex;
                    }
                }
            }
            await transaction.Transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            foreach (var pending in group)
                pending.Done.TrySetException(ex);
            return;
        }
        for (var i = 0; i < group.Count; i++)
        {
            if (failures[i] is { } failure)
                group[i].Done.TrySetException(failure);
            else
                group[i].Done.TrySetResult();
        }
    }

    private sealed record Pending(Func<SqlSession, CancellationToken, Task> Write)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
