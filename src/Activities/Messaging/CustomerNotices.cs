using Followup.Activities.Data;

namespace Followup.Activities.Messaging;

/// <summary>Messages to the customer about a change staff made outside a workflow step.</summary>
public static class CustomerNotices
{
    /// <summary>A changed promised time (step 5: any change is told to the customer); none without a mobile number or consent.</summary>
    public static OutboxRecord? PromisedTimeChanged(Service.StoreOptions store, Customer customer, Visit visit, string localTime, DateTime at)
    {
        if (customer.SmsTo() is not { } phone)
            return null;
        var text = customer.Language == "en"
            ? $"Hello {customer.Name}, your car ({visit.Number}) will now be ready by {localTime}. We are sorry for any inconvenience."
            : $"{customer.Name}您好，您的爱车（{visit.Number}）预计完工时间调整为{localTime}，给您带来不便敬请谅解。";
        return Outbox.SmsRow(store, $"visit:{visit.Id}:promised:{visit.PromisedAt?.Ticks}", phone,
            new MessagePayload(customer.Language == "en" ? "en" : "zh-CN", text), urgent: false, visit.Number, at);
    }

    /// <summary>The customer hears that the store cancelled their appointment (a cancellation they asked for by reply is answered in that reply).</summary>
    public static OutboxRecord? AppointmentCancelled(Service.StoreOptions store, Customer customer, Appointment appointment, string localTime, DateTime at)
    {
        if (customer.SmsTo() is not { } phone)
            return null;
        return Outbox.SmsRow(store, $"appointment:{appointment.Id}:cancelled", phone,
            new MessagePayload(customer.Language == "en" ? "en" : "zh-CN", AppointmentCancelledText(store, customer, localTime)), urgent: false, appointment.Id, at);
    }

    public static string AppointmentCancelledText(Service.StoreOptions store, Customer customer, string localTime) => customer.Language == "en"
        ? $"Hello {customer.Name}, your appointment on {localTime} is cancelled.{(store.Phone.Length > 0 ? $" To book again, call us on {store.Phone}." : "")}"
        : $"{customer.Name}您好，您{localTime}的到店预约已取消。{(store.Phone.Length > 0 ? $"如需重新预约请致电{store.Phone}。" : "")}";
}
