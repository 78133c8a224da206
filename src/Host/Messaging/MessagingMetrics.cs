using Followup.Host.Scheduling;
using Hangfire;

namespace Followup.Host.Messaging;

/// <summary>The outbox backlog (messages not sent yet), as last counted by the sweep, on the meter <c>Followup.Messaging</c>.</summary>
public sealed class MessagingMetrics : IDisposable
{
    public const string MeterName = "Followup.Messaging";
    private readonly System.Diagnostics.Metrics.Meter _meter = new(MeterName);

    public MessagingMetrics() =>
        _meter.CreateObservableGauge("followup.outbox.backlog", () => Backlog, description: "Messages waiting to be sent");

    public int Backlog { get; set; }

    public void Dispose() => _meter.Dispose();
}
