using Followup.Workflows.Persistence;

namespace Followup.Workflows.Scheduling;

/// <summary>Keeps timed starts (StartAt, Timer and Cron triggers of published workflows) in step with publishing.</summary>
public interface ITriggerScheduler
{
    /// <summary>Called after a definition's triggers were replaced: unschedules <paramref name="removed"/>, schedules the timed ones of <paramref name="added"/>.</summary>
    Task SyncAsync(IReadOnlyList<TriggerRecord> removed, IReadOnlyList<TriggerRecord> added, CancellationToken cancellationToken);
}
