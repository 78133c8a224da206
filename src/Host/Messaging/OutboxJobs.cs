using Followup.Activities.Messaging;
using Followup.Host.Scheduling;
using Hangfire;

namespace Followup.Host.Messaging;

/// <summary>Each committed message becomes a Hangfire job on the outbox's own queue; the minute sweep sends what is due again (held, backing off, or missed after a crash).</summary>
public sealed class HangfireOutboxQueue(IBackgroundJobClient jobs) : IOutboxQueue
{
    public const string Queue = "outbox";

    public Task EnqueueAsync(string messageId, CancellationToken cancellationToken)
    {
        jobs.Enqueue<OutboxJobs>(Queue, j => j.DispatchAsync(messageId, CancellationToken.None));
        return Task.CompletedTask;
    }
}

public sealed partial class OutboxJobs(OutboxDispatcher dispatcher, OutboxStore store, TimeProvider clock, MessagingMetrics metrics, ILogger<OutboxJobs> logger)
{
    public const string SweepJobId = "followup:outbox-sweep";

    [AutomaticRetry(Attempts = 3)]
    public Task DispatchAsync(string messageId, CancellationToken cancellationToken) => dispatcher.DispatchAsync(messageId, cancellationToken);

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var message in await store.ListDueAsync(clock.GetUtcNow().UtcDateTime, 500, cancellationToken))
        {
            // Each message on its own: one that cannot be handled now (its provider is down) holds up no other.
            try
            {
                await dispatcher.DispatchAsync(message.Id, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.DispatchFailed(logger, message.Id, message.Channel, ex);
            }
        }
        metrics.Backlog = await store.CountBacklogAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Message {MessageId} ({Channel}) could not be handled by the sweep; the next sweep tries again")]
        public static partial void DispatchFailed(ILogger logger, string messageId, string channel, Exception exception);
    }
}

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
