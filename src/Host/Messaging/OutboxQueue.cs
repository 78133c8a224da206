using System.Threading.Channels;
using Followup.Activities.Messaging;

namespace Followup.Host.Messaging;

/// <summary>
/// Each committed message goes to this host's senders at once, a few at a time. A job in the job store cost about a
/// dozen write transactions there (created, enqueued, fetched, processing, succeeded, each state change under a lock of
/// its own) for one send, and waited for the workers' next poll. Nothing is lost when the host stops or crashes with
/// messages still queued here: they stay due in the outbox, and the sweep (at start and every minute) sends them. A
/// message that fails here for a reason its dispatcher does not handle is logged and left to the sweep as well.
/// </summary>
public sealed partial class OutboxQueue(OutboxDispatcher dispatcher, ILogger<OutboxQueue> logger) : BackgroundService, IOutboxQueue
{
    /// <summary>Sends side by side: a message waiting on a slow provider takes one sender, and the others go on.</summary>
    private const int Senders = 4;

    // Unbounded: an id is a few dozen bytes, and a campaign of ten thousand messages waits here in under a megabyte.
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });

    public Task EnqueueAsync(string messageId, CancellationToken cancellationToken)
    {
        _queue.Writer.TryWrite(messageId);
        return Task.CompletedTask;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => SendAsync(stoppingToken)));

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var messageId in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await dispatcher.DispatchAsync(messageId, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.DispatchFailed(logger, messageId, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Message {MessageId} could not be handled as it was committed; the sweep tries again")]
        public static partial void DispatchFailed(ILogger logger, string messageId, Exception exception);
    }
}
