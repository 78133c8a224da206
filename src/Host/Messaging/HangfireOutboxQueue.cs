using Followup.Activities.Messaging;
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
