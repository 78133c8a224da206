using Followup.Activities.Data;

namespace Followup.Activities.Messaging;

/// <summary>Messages to the customer about a change staff made outside a workflow step.</summary>
public static class CustomerNotices
{
    /// <summary>A changed promised time (step 5: any change is told to the customer); by email without a number to text; none without either.</summary>
    public static OutboxRecord? PromisedTimeChanged(Service.StoreOptions store, SmsOptions sms, Customer customer, Visit visit, string plate, string localTime, DateTime at)
    {
        var text = customer.Language == "en"
            ? $"Hello {customer.Name}, your {plate} will now be ready by {localTime}. We are sorry for the wait."
            : Render(SmsTemplates.PromisedTimeChanged, customer.Name, ("plate", plate), ("time", localTime));
        var message = new MessagePayload(customer.Language == "en" ? "en" : "zh-CN", text).As(SmsTemplates.PromisedTimeChanged, Values(customer.Name, ("plate", plate), ("time", localTime)));
        return Notice(store, sms, customer, $"visit:{visit.Id}:promised:{visit.PromisedAt?.Ticks}", message, visit.Number, at);
    }

    /// <summary>The customer hears that the store cancelled their appointment (a cancellation they asked for by reply is answered in that reply).</summary>
    public static OutboxRecord? AppointmentCancelled(Service.StoreOptions store, SmsOptions sms, Customer customer, Appointment appointment, string localTime, DateTime at) =>
        Notice(store, sms, customer, $"appointment:{appointment.Id}:cancelled", AppointmentCancelledMessage(store, customer, localTime), appointment.Id, at);

    /// <summary>By SMS (and by email should it not go) to a customer who consents to texts, else by email with consent, else nothing.</summary>
    private static OutboxRecord? Notice(Service.StoreOptions store, SmsOptions sms, Customer customer, string key, MessagePayload message, string correlationId, DateTime at)
    {
        if (customer.SmsTo() is { } phone)
            return Outbox.SmsRow(store, sms, key, phone, message with { FallbackEmail = customer.EmailTo() }, urgent: false, correlationId, at);
        return customer.EmailTo() is { } email
            ? Outbox.Row(key + ":email", Channels.Email, email, Outbox.FallbackEmail(store, message, marketing: false), urgent: false, correlationId, at)
            : null;
    }

    /// <summary>"Your appointment is cancelled", in the customer's language, as the appointment-cancelled kind.</summary>
    public static MessagePayload AppointmentCancelledMessage(Service.StoreOptions store, Customer customer, string localTime)
    {
        var text = customer.Language == "en"
            ? $"Hello {customer.Name}, your appointment on {localTime} is cancelled.{(store.Phone.Length > 0 ? $" To book again, call us on {store.Phone}." : "")}"
            : $"{customer.Name}您好，您{localTime}的到店预约已取消。{(store.Phone.Length > 0 ? $"如需重新预约请致电{store.Phone}。" : "")}";
        return new MessagePayload(customer.Language == "en" ? "en" : "zh-CN", text)
            .As(store.Phone.Length > 0 ? SmsTemplates.AppointmentCancelled : SmsTemplates.AppointmentCancelledNoPhone, Values(customer.Name, ("time", localTime), ("phone", store.Phone)));
    }

    private static Dictionary<string, string> Values(string name, params (string Key, string Value)[] values)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = name };
        foreach (var (key, value) in values)
            all[key] = value;
        return all;
    }

    private static string Render(string kind, string name, params (string Key, string Value)[] values) => SmsTemplates.Find(kind)!.Render(Values(name, values));
}
