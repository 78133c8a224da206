using System.Diagnostics.Metrics;
using Followup.Host.Scheduling;
using Hangfire;

namespace Followup.Host.Messaging;

/// <summary>The outbox backlog (messages not sent yet), as last counted by the sweep, on the meter <c>Followup.Messaging</c>.</summary>
/// <remarks>The meter comes from the host's meter factory, which owns it, so each host's gauge is its own.</remarks>
public sealed class MessagingMetrics
{
    public const string MeterName = "Followup.Messaging";

    public MessagingMetrics(IMeterFactory meters) =>
        meters.Create(MeterName).CreateObservableGauge("followup.outbox.backlog", () => Backlog, description: "Messages waiting to be sent");

    public int Backlog { get; set; }
}
