using System.Collections.Concurrent;

namespace Followup.Workflows.Persistence.Sqlite;

/// <summary>
/// The rows this store last committed for instances that are still waiting, so resuming one does not read back what
/// was just written. A copy can only be stale when something else wrote the row (another process on the same file,
/// another host on the same database); the resume's revision check then fails, the copy is dropped, and the resume
/// runs again on the stored row. Bounded by the bytes of the copies' state, so a store whose instances carry large
/// states keeps fewer of them: when full, a tenth of the bytes make way for new copies. With a capacity of 0 nothing
/// is kept (hosts sharing a PostgreSQL database resume each other's instances all the time, so a copy would often be
/// stale).
/// </summary>
internal sealed class RecentInstances(long capacityBytes)
{
    /// <summary>What a copy weighs besides its state: the record and its strings.</summary>
    private const int RowOverhead = 256;

    private readonly ConcurrentDictionary<string, WorkflowInstanceRecord> _rows = new(StringComparer.Ordinal);
    /// <summary>Kept apart: the dictionary counts by taking every one of its locks.</summary>
    private long _bytes;

    /// <summary>The bytes the copies weigh now.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    public WorkflowInstanceRecord? Find(string id) => _rows.GetValueOrDefault(id);

    /// <summary>Keeps the committed row of an instance that may be resumed again; a finished one is dropped.</summary>
    public void Committed(WorkflowInstanceRecord row)
    {
        var weight = WeightOf(row);
        // A copy larger than a tenth of the room would push out many others (with no room, every copy is).
        if (weight > capacityBytes / 10 || row.Status == nameof(Runtime.WorkflowStatus.Finished))
        {
            Forget(row.Id);
            return;
        }
        while (true)
        {
            if (_rows.TryGetValue(row.Id, out var old))
            {
                if (!_rows.TryUpdate(row.Id, row, old))
                    continue;
                weight -= WeightOf(old);
                break;
            }
            if (_rows.TryAdd(row.Id, row))
                break;
        }
        if (Interlocked.Add(ref _bytes, weight) <= capacityBytes)
            return;
        foreach (var (id, _) in _rows)
        {
            if (Volatile.Read(ref _bytes) <= capacityBytes - capacityBytes / 10)
                break;
            Forget(id);
        }
    }

    /// <summary>Drops the copy of an instance; false when there was none.</summary>
    public bool Forget(string id)
    {
        if (!_rows.TryRemove(id, out var old))
            return false;
        Interlocked.Add(ref _bytes, -WeightOf(old));
        return true;
    }

    private static long WeightOf(WorkflowInstanceRecord row) => row.State.Span.Length + RowOverhead;
}
