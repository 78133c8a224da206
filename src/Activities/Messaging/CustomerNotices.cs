using Followup.Activities.Data;

namespace Followup.Activities.Messaging;

/// <summary>Messages to the customer about a change staff made outside a workflow step.</summary>
public static class CustomerNotices
{
    /// <summary>A changed promised time (step 5: any change is told to the customer); none without a mobile number or consent.</summary>
    public static OutboxRecord? PromisedTimeChanged(Service.StoreOptions store, Customer customer, Visit visit, string localTime, DateTime at)
    {
        if (customer is not { SmsConsent: true, Phone: { Length: > 0 } phone })
            return null;
        var text = customer.Language == "en"
            ? $"Hello {customer.Name}, your car ({visit.Number}) will now be ready by {localTime}. We are sorry for any inconvenience."
            : $"{customer.Name}您好，您的爱车（{visit.Number}）预计完工时间调整为{localTime}，给您带来不便敬请谅解。";
        return Outbox.SmsRow(store, $"visit:{visit.Id}:promised:{visit.PromisedAt?.Ticks}", phone,
            new MessagePayload(customer.Language == "en" ? "en" : "zh-CN", text), urgent: false, visit.Number, at);
    }
}
