using System.Collections.Concurrent;

namespace Followup.Workflows.Persistence;

/// <summary>
/// The rows this store last committed for instances that are still waiting, so resuming one does not read back what
/// was just written. A copy can only be stale when something else wrote the row (another process on the same file,
/// another host on the same database); the resume's revision check then fails, the copy is dropped, and the resume
/// runs again on the stored row. Bounded: the oldest copies make way for new ones. With a capacity of 0 nothing is
/// kept (hosts sharing a PostgreSQL database resume each other's instances all the time, so a copy would often be stale).
/// </summary>
internal sealed class RecentInstances(int capacity)
{
    private readonly ConcurrentDictionary<string, WorkflowInstanceRecord> _rows = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public WorkflowInstanceRecord? Find(string id) => _rows.GetValueOrDefault(id);

    /// <summary>Keeps the committed row of an instance that may be resumed again; a finished one is dropped.</summary>
    public void Committed(WorkflowInstanceRecord row)
    {
        if (capacity == 0 || row.Status == nameof(Runtime.WorkflowStatus.Finished))
        {
            Forget(row.Id);
            return;
        }
        if (_rows.TryAdd(row.Id, row))
            _order.Enqueue(row.Id);
        else
            _rows[row.Id] = row;
        while (_rows.Count > capacity && _order.TryDequeue(out var oldest))
            _rows.TryRemove(oldest, out _);
    }

    public void Forget(string id) => _rows.TryRemove(id, out _);
}
