using Followup.Activities.Messaging;
using Hangfire;

namespace Followup.Host.Messaging;

public sealed partial class OutboxJobs(OutboxDispatcher dispatcher, OutboxStore store, TimeProvider clock, MessagingMetrics metrics, ILogger<OutboxJobs> logger)
{
    public const string SweepJobId = "followup:outbox-sweep";

    /// <summary>The job store's queue of the outbox sweep.</summary>
    public const string Queue = "outbox";

    /// <summary>A message's own job, as an earlier release queued them; messages now go through <see cref="OutboxQueue"/>.</summary>
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
