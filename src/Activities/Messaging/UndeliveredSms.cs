using Followup.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Messaging;

/// <summary>
/// What follows an SMS that cannot reach the customer (refused by the provider, undeliverable, or blocked by an
/// opt-out): its text goes by email when it names an address, and the step that sent it hears of it
/// (<see cref="MessageUndeliveredStimulus"/>), so a step waiting for an answer has staff call. Each happens once per
/// message, however often the failure is reported.
/// </summary>
public sealed class UndeliveredSms(OutboxStore store, IServiceProvider services, IOptions<Service.StoreOptions> shop, TimeProvider clock)
{
    public async Task HandleAsync(OutboxRecord row, CancellationToken cancellationToken)
    {
        if (row.Channel != Channels.Sms)
            return;
        var payload = MessagePayload.FromJson(row.Payload);
        if (payload.FallbackEmail is { Length: > 0 } email && MimeKit.MailboxAddress.TryParse(email, out _))
        {
            var fallback = Outbox.Row($"{row.IdempotencyKey}:email", Channels.Email, email, Outbox.FallbackEmail(shop.Value, payload, marketing: !payload.Transactional),
                row.Urgent, row.CorrelationId, clock.GetUtcNow().UtcDateTime);
            fallback.InstanceId = row.InstanceId;
            await store.AddAsync([fallback], cancellationToken);
            if (services.GetService<IOutboxQueue>() is { } queue)
                await queue.EnqueueAsync(fallback.Id, cancellationToken);
        }
        if (row is { InstanceId: { } instanceId, ActivityId: { } activityId })
            await services.GetRequiredService<IWorkflowRuntime>().TriggerAsync(MessageUndeliveredStimulus.Name, new MessageUndeliveredStimulus(instanceId, activityId),
                new TriggerOptions { StartNew = false, Input = new Dictionary<string, object?> { ["reason"] = row.Error ?? row.Status } }, cancellationToken);
    }
}

/// <summary>
/// A message of a workflow's step could not reach the customer (the provider refused it, or the number opted out):
/// the step that sent it, waiting for the customer's answer (an approval, a survey), asks staff to call instead.
/// </summary>
public sealed record MessageUndeliveredStimulus(string InstanceId, string ActivityId)
{
    public const string Name = "Followup.MessageUndelivered";
}
