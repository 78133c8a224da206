using System.Text.Json.Nodes;
using Followup.Workflows.Runtime;
using Followup.Workflows.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Messaging;

/// <summary>
/// Sends one outbox message, under a lock on it. Its state is committed before the provider is called ("Sending",
/// with the attempt's start), so after a crash or an unanswered call the next attempt first asks the provider whether
/// the message went out, and never sends it twice. Opted-out recipients are blocked; non-urgent messages wait for
/// the end of quiet hours; transient failures back off; permanent ones fail and stay visible. An SMS that cannot go
/// is followed up by <see cref="UndeliveredSms"/> (by email, and a call where an answer was awaited).
/// </summary>
public sealed partial class OutboxDispatcher(
    OutboxStore store,
    ConsentStore consents,
    IEnumerable<IMessageSender> senders,
    IWorkflowLock locks,
    TimeProvider clock,
    IOptions<MessagingOptions> options,
    CrashPoints crashes,
    UndeliveredSms undelivered,
    ILogger<OutboxDispatcher> logger)
{
    public async Task DispatchAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var held = await locks.AcquireAsync($"outbox:{messageId}", cancellationToken);
        var row = await store.FindAsync(messageId, cancellationToken);
        var now = clock.GetUtcNow();
        if (row is null || OutboxStatus.IsFinal(row.Status) || row.NotBefore > now.UtcDateTime)
            return;
        var sender = senders.Last(s => s.Channel == row.Channel);
        var payload = MessagePayload.FromJson(row.Payload);

        if (row.Status == OutboxStatus.Sending && row.AttemptStartedAt is { } started)
        {
            try
            {
                if (await sender.FindSentAsync(row.Id, row.Recipient, payload, started, cancellationToken) is { } found)
                {
                    await SaveAsync(row, OutboxStatus.Sent, now, "accepted by the provider on an earlier attempt", providerId: found, cancellationToken: cancellationToken);
                    return;
                }
            }
            catch (TransientSendException ex)
            {
                // Not known whether the earlier attempt went out, so nothing is sent: ask again after a pause.
                Log.SendFailed(logger, row.Id, row.Channel, row.Attempts, "the provider could not be asked about an earlier attempt");
                row.NotBefore = (now + RetryDelay(row.Attempts)).UtcDateTime;
                await SaveAsync(row, OutboxStatus.Sending, now, ex.Message, error: ex.Message, cancellationToken: cancellationToken);
                return;
            }
        }
        if (await consents.BlocksAsync(row.Channel, row.Recipient, marketing: !payload.Transactional, cancellationToken))
        {
            await SaveAsync(row, OutboxStatus.Blocked, now, "the recipient opted out", cancellationToken: cancellationToken);
            await undelivered.HandleAsync(row, cancellationToken);
            return;
        }
        if (!row.Urgent && QuietHoursEnd(now) is { } quietUntil)
        {
            row.NotBefore = quietUntil.UtcDateTime;
            await SaveAsync(row, OutboxStatus.Held, now, $"quiet hours until {quietUntil:O}", cancellationToken: cancellationToken);
            return;
        }

        row.Attempts++;
        var handedOver = false;
        try
        {
            var providerId = await sender.SendAsync(row.Id, row.Recipient, payload, async () =>
            {
                // Committed before the provider can have the message: a crash from here on is checked with the provider first.
                row.AttemptStartedAt = now.UtcDateTime;
                row.NotBefore = null;
                await SaveAsync(row, OutboxStatus.Sending, now, $"attempt {row.Attempts}", cancellationToken: cancellationToken);
                handedOver = true;
                crashes.Reached(CrashPoint.MessageHandedOver);
            }, cancellationToken);
            crashes.Reached(CrashPoint.MessageAccepted);
            await SaveAsync(row, OutboxStatus.Sent, clock.GetUtcNow(), null, providerId: providerId, cancellationToken: CancellationToken.None);
        }
        catch (TransientSendException ex)
        {
            Log.SendFailed(logger, row.Id, row.Channel, row.Attempts, ex.Ambiguous && handedOver ? "no answer" : "transient");
            if (row.Attempts >= options.Value.MaxAttempts)
            {
                await SaveAsync(row, OutboxStatus.Failed, now, ex.Message, error: ex.Message, cancellationToken: CancellationToken.None);
                await undelivered.HandleAsync(row, CancellationToken.None);
                return;
            }
            row.NotBefore = (now + RetryDelay(row.Attempts)).UtcDateTime;
            // An unanswered call may have been accepted: stay "Sending" so the next attempt asks first.
            await SaveAsync(row, ex.Ambiguous && handedOver ? OutboxStatus.Sending : OutboxStatus.Pending, now, ex.Message, error: ex.Message, cancellationToken: CancellationToken.None);
        }
        catch (PermanentSendException ex)
        {
            Log.SendFailed(logger, row.Id, row.Channel, row.Attempts, $"refused, code {ex.Code}");
            row.ErrorCode = ex.Code;
            await SaveAsync(row, OutboxStatus.Failed, now, ex.Message, error: ex.Message, cancellationToken: CancellationToken.None);
            await undelivered.HandleAsync(row, CancellationToken.None);
        }
    }

    private TimeSpan RetryDelay(int attempts)
    {
        var delays = options.Value.RetryDelays;
        return delays[Math.Clamp(attempts, 1, delays.Length) - 1];
    }

    /// <summary>The end of the quiet hours <paramref name="now"/> falls in, or null outside them.</summary>
    public DateTimeOffset? QuietHoursEnd(DateTimeOffset now)
    {
        var o = options.Value;
        if (o.QuietHoursStart == o.QuietHoursEnd)
            return null;
        var zone = o.Zone;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var overnight = o.QuietHoursStart > o.QuietHoursEnd;
        var quiet = overnight ? time >= o.QuietHoursStart || time < o.QuietHoursEnd : time >= o.QuietHoursStart && time < o.QuietHoursEnd;
        if (!quiet)
            return null;
        var endDate = DateOnly.FromDateTime(local.DateTime);
        if (overnight && time >= o.QuietHoursStart)
            endDate = endDate.AddDays(1);
        var endLocal = endDate.ToDateTime(o.QuietHoursEnd);
        return new DateTimeOffset(endLocal, zone.GetUtcOffset(endLocal));
    }

    private async Task SaveAsync(OutboxRecord row, string status, DateTimeOffset at, string? detail, string? providerId = null, string? error = null, CancellationToken cancellationToken = default)
    {
        row.Status = status;
        row.UpdatedAt = at.UtcDateTime;
        if (providerId != null)
            row.ProviderId = providerId;
        if (error != null)
            row.Error = error;
        row.History = AppendHistory(row.History, status, at, detail);
        await store.SaveAsync(row, cancellationToken);
    }

    public static string AppendHistory(string history, string status, DateTimeOffset at, string? detail)
    {
        var items = JsonNode.Parse(history)!.AsArray();
        items.Add(new JsonObject { ["status"] = status, ["at"] = at, ["detail"] = detail });
        return items.ToJsonString();
    }

    private static partial class Log
    {
        /// <summary>The provider's own text may quote the recipient, so only a kind and a code are logged; the row keeps the details for staff.</summary>
        [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "Message {MessageId} ({Channel}) attempt {Attempt} failed: {Reason}")]
        public static partial void SendFailed(ILogger logger, string messageId, string channel, int attempt, string reason);
    }
}
