using Followup.Workflows.Abstractions;
using Followup.Workflows.Expressions;
using Followup.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Messaging;

/// <summary>The one path every activity sends through: validate the address, render, write to the outbox with the step.</summary>
public static class Outbox
{
    /// <summary>
    /// An SMS as the customer will read it (<see cref="SmsOptions.AsSent"/>): signed, a marketing one (a reminder, a
    /// survey) with how to opt out. Its <see cref="MessagePayload.FallbackEmail"/> gets it by email if it cannot go.
    /// </summary>
    public static void Sms(ActivityExecutionContext context, string to, MessagePayload payload, bool urgent, DateTime? notBefore = null, bool marketing = false)
    {
        var region = context.GetRequiredService<IOptions<MessagingOptions>>().Value.DefaultRegion;
        var sent = context.GetRequiredService<IOptions<SmsOptions>>().Value.AsSent(context.GetRequiredService<IOptions<Service.StoreOptions>>().Value, payload, marketing);
        Enqueue(context, Channels.Sms, Phone.Normalize(to, region), sent.ToJson(), urgent, notBefore);
    }

    /// <summary>
    /// A text to a customer who may not be reachable by SMS: by SMS when there is a number to text (and by email should
    /// that fail), else by email when there is an address, else nothing (said in the journal). Returns whether it went.
    /// </summary>
    public static bool SmsOrEmail(ActivityExecutionContext context, string? phone, string? email, MessagePayload payload, bool urgent, DateTime? notBefore = null, bool marketing = false)
    {
        if (!string.IsNullOrWhiteSpace(phone))
        {
            Sms(context, phone, payload with { FallbackEmail = string.IsNullOrWhiteSpace(email) ? null : email.Trim() }, urgent, notBefore, marketing);
            return true;
        }
        if (SkipWithoutAddress(context, email) is not { } address)
            return false;
        var store = context.GetRequiredService<IOptions<Service.StoreOptions>>().Value;
        Email(context, address, FallbackEmail(store, payload, marketing), urgent);
        return true;
    }

    /// <summary>An SMS's text as an email, signed with the store's name, for a customer the SMS cannot reach.</summary>
    public static MessagePayload FallbackEmail(Service.StoreOptions store, MessagePayload sms, bool marketing)
    {
        var en = sms.Language == "en";
        var name = store.NameIn(sms.Language);
        var text = sms.Text.StartsWith('【') && sms.Text.IndexOf('】', StringComparison.Ordinal) is > 0 and var end ? sms.Text[(end + 1)..] : sms.Text;
        return new MessagePayload(sms.Language, $"{text}\n\n{name}", en ? $"A message from {name}" : $"{name}的消息", null, Transactional: !marketing);
    }

    public static void Email(ActivityExecutionContext context, string to, MessagePayload payload, bool urgent)
    {
        if (!MimeKit.MailboxAddress.TryParse(to, out var address) || !address.Address.Contains('@', StringComparison.Ordinal))
            throw new ArgumentException($"'{to}' is not a valid email address.");
        Enqueue(context, Channels.Email, address.Address, payload.ToJson(), urgent);
    }

    private const string IndexProperty = "Followup:OutboxIndex";

    /// <summary>
    /// Adds a message to the outbox with the step's burst, in its transaction; it is handed to the
    /// <see cref="IOutboxQueue"/> after the commit. Its idempotency key is (instance, this execution, index): a step run
    /// again after a crash adds the same key and so nothing; a later burst of the same step (a reminder) a new one.
    /// </summary>
    public static OutboxRecord Enqueue(ActivityExecutionContext context, string channel, string recipient, string payload, bool urgent, DateTime? notBefore = null)
    {
        // The index is kept with the execution's state, so a burst run again after a crash gets the same key.
        var index = int.Parse(context.GetProperty<string>(IndexProperty) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        context.SetProperty(IndexProperty, (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var now = context.Clock.GetUtcNow().UtcDateTime;
        var record = new OutboxRecord
        {
            Id = context.Workflow.NewId(),
            IdempotencyKey = $"{context.Workflow.InstanceId}:{context.Id}:{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            Channel = channel,
            Recipient = recipient,
            Payload = payload,
            Urgent = urgent,
            InstanceId = context.Workflow.InstanceId,
            CorrelationId = context.Workflow.CorrelationId,
            ActivityId = context.Node.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (notBefore > now)
        {
            // Held until then; the outbox sweep sends it when it falls due.
            record.Status = OutboxStatus.Held;
            record.NotBefore = notBefore;
            record.History = OutboxDispatcher.AppendHistory(record.History, OutboxStatus.Held, now, $"until {notBefore:O}");
        }
        context.Workflow.Records.InsertUnlessExists(record);
        var id = record.Id;
        context.AfterCommit((services, ct) => services.GetService<IOutboxQueue>() is { } queue ? queue.EnqueueAsync(id, ct) : Task.CompletedTask);
        return record;
    }

    /// <summary>An SMS decided outside a workflow step, as the customer will read it (<see cref="SmsOptions.AsSent"/>).</summary>
    public static OutboxRecord SmsRow(Service.StoreOptions store, SmsOptions sms, string idempotencyKey, string recipient, MessagePayload payload, bool urgent, string? correlationId, DateTime at) =>
        Row(idempotencyKey, Channels.Sms, recipient, sms.AsSent(store, payload, marketing: false), urgent, correlationId, at);

    /// <summary>
    /// A message decided outside a workflow step (a staff change), for <see cref="OutboxStore.AddAsync"/>; the key makes
    /// a repeated request add it once.
    /// </summary>
    public static OutboxRecord Row(string idempotencyKey, string channel, string recipient, MessagePayload payload, bool urgent, string? correlationId, DateTime at) => new()
    {
        Id = Guid.CreateVersion7().ToString("N"),
        IdempotencyKey = idempotencyKey,
        Channel = channel,
        Recipient = recipient,
        Payload = payload.ToJson(),
        Urgent = urgent,
        CorrelationId = correlationId,
        CreatedAt = at,
        UpdatedAt = at,
    };

    /// <summary>
    /// The address to send to; none (a customer without a mobile number or email, or who withheld consent) skips the
    /// message and says so in the journal. A malformed address is still an error.
    /// </summary>
    public static string? SkipWithoutAddress(ActivityExecutionContext context, string? to) =>
        SkipWithoutAddresses(context, string.IsNullOrWhiteSpace(to) ? [] : [to.Trim()]).FirstOrDefault();

    /// <summary>The addresses to send to; none skips the message and says so in the journal.</summary>
    public static IReadOnlyList<string> SkipWithoutAddresses(ActivityExecutionContext context, IReadOnlyList<string> to)
    {
        if (to.Count == 0)
            context.Workflow.AddJournal(context, "Skipped", "no address");
        return to;
    }

    /// <summary>The customer's language picks the text; Chinese for any zh-*, English otherwise, the other one when it is empty.</summary>
    public static (string Language, string Template) Choose(string? language, string? chinese, string? english)
    {
        var wantsChinese = language?.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ?? true;
        return wantsChinese && !string.IsNullOrEmpty(chinese) || string.IsNullOrEmpty(english)
            ? ("zh-CN", chinese ?? "")
            : ("en", english);
    }
}
