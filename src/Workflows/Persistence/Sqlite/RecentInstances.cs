using System.Collections.Concurrent;

namespace Followup.Workflows.Persistence.Sqlite;

/// <summary>
/// The rows this store last committed for instances that are still waiting, so resuming one does not read back what
/// was just written. A copy can only be stale when something else wrote the row (another process on the same file,
/// another host on the same database); the resume's revision check then fails, the copy is dropped, and the resume
/// runs again on the stored row. Bounded: when full, a tenth of the copies make way for new ones. With a capacity of 0 nothing is
/// kept (hosts sharing a PostgreSQL database resume each other's instances all the time, so a copy would often be stale).
/// </summary>
internal sealed class RecentInstances(int capacity)
{
    private readonly ConcurrentDictionary<string, WorkflowInstanceRecord> _rows = new(StringComparer.Ordinal);
    /// <summary>Kept apart: the dictionary counts by taking every one of its locks.</summary>
    private int _count;

    public WorkflowInstanceRecord? Find(string id) => _rows.GetValueOrDefault(id);

    /// <summary>Keeps the committed row of an instance that may be resumed again; a finished one is dropped.</summary>
    public void Committed(WorkflowInstanceRecord row)
    {
        if (capacity == 0 || row.Status == nameof(Runtime.WorkflowStatus.Finished))
        {
            Forget(row.Id);
            return;
        }
        if (!_rows.TryAdd(row.Id, row))
        {
            _rows[row.Id] = row;
            return;
        }
        if (Interlocked.Increment(ref _count) <= capacity)
            return;
        foreach (var (id, _) in _rows)
        {
            if (Volatile.Read(ref _count) <= capacity - capacity / 10)
                break;
            Forget(id);
        }
    }

    /// <summary>Drops the copy of an instance; false when there was none.</summary>
    public bool Forget(string id)
    {
        if (!_rows.TryRemove(id, out _))
            return false;
        Interlocked.Decrement(ref _count);
        return true;
    }
}
