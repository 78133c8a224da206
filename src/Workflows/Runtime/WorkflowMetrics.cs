using System.Diagnostics.Metrics;

namespace Followup.Workflows.Runtime;

/// <summary>
/// The engine's instruments on the meter <c>Followup.Workflows</c>: instances started, finished and faulted, how long a
/// resume takes, and how late timers fire (fire time minus due time). Tags carry definition ids only, never personal data.
/// </summary>
public sealed class WorkflowMetrics : IDisposable
{
    public const string MeterName = "Followup.Workflows";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _started;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _faulted;
    private readonly Histogram<double> _resumeDuration;
    private readonly Histogram<double> _timerLag;

    /// <summary>The meter comes from the host's meter factory when it has one, so each host's instruments are its own.</summary>
    public WorkflowMetrics(IMeterFactory? meters = null)
    {
        _ownsMeter = meters is null;
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _started = _meter.CreateCounter<long>("followup.workflow.instances.started", description: "Workflow instances started");
        _finished = _meter.CreateCounter<long>("followup.workflow.instances.finished", description: "Workflow instances that reached Finished");
        _faulted = _meter.CreateCounter<long>("followup.workflow.instances.faulted", description: "Workflow instances that became Faulted");
        _resumeDuration = _meter.CreateHistogram<double>("followup.workflow.resume.duration", "ms", "Time from loading an instance to committing its resumed burst");
        _timerLag = _meter.CreateHistogram<double>("followup.workflow.timer.lag", "s", "Fire time minus due time of timer bookmarks");
    }

    public void Started(string definitionId) => _started.Add(1, Tag(definitionId));

    /// <summary>Counts a status change once: only when the committed status differs from the one loaded.</summary>
    public void StatusChanged(string definitionId, WorkflowSubStatus? before, WorkflowSubStatus after)
    {
        if (before == after)
            return;
        if (after == WorkflowSubStatus.Finished)
            _finished.Add(1, Tag(definitionId));
        else if (after == WorkflowSubStatus.Faulted)
            _faulted.Add(1, Tag(definitionId));
    }

    public void Resumed(string definitionId, TimeSpan duration) => _resumeDuration.Record(duration.TotalMilliseconds, Tag(definitionId));

    public void TimerFired(string definitionId, TimeSpan lag) => _timerLag.Record(Math.Max(0, lag.TotalSeconds), Tag(definitionId));

    private static KeyValuePair<string, object?> Tag(string definitionId) => new("definition_id", definitionId);

    public void Dispose()
    {
        if (_ownsMeter)
            _meter.Dispose();
    }
}
