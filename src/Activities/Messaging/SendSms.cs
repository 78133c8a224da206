using Followup.Workflows.Abstractions;
using Followup.Workflows.Expressions;
using Followup.Workflows.Runtime;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Messaging;

[Activity("Followup", "Messaging", "Send a text message to the customer, in their language, through the outbox. The store's signature 【店名】 is added. A Chinese text goes 70 characters to a segment (67 each when it takes several), a plain Latin one 160 (153): /messages shows each message's count.", DisplayName = "Send SMS")]
public sealed class SendSms(LiquidEvaluator liquid) : Activity
{
    [Input(Description = "The customer's mobile number; numbers without a country code use the store's region.")]
    public Input<string> To { get; set; } = new(null);

    [Input(Description = "The customer's language (zh-CN or en).", DefaultValue = "zh-CN")]
    public Input<string> Language { get; set; } = new(null);

    [Input(DisplayName = "Text (中文)", Description = "The message in Chinese (Liquid template).", UIHint = "multiline")]
    public Input<string> TextZhCn { get; set; } = new(null);

    [Input(DisplayName = "Text (English)", Description = "The message in English (Liquid template).", UIHint = "multiline")]
    public Input<string> TextEn { get; set; } = new(null);

    [Input(Description = "Send during quiet hours too (vehicle ready, safety).", DefaultValue = false)]
    public Input<bool> Urgent { get; set; } = new(null);

    [Input(Description = "Hold the message until the store opens when it is closed (a customer waiting on site is told at once).", DefaultValue = false)]
    public Input<bool> InStoreHours { get; set; } = new(null);

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (Outbox.SkipWithoutAddress(context, context.Get(To)) is not { } to)
            return context.CompleteAsync();
        var (language, text) = Outbox.Choose(context.Get(Language), liquid.RenderTemplate(TextZhCn, context), liquid.RenderTemplate(TextEn, context));
        var notBefore = context.Get(InStoreHours) ? StoreOpen(context) : null;
        Outbox.Sms(context, to, new MessagePayload(language, text), context.Get(Urgent), notBefore);
        return context.CompleteAsync();
    }

    /// <summary>When the store next opens (UTC), or null when it is open now.</summary>
    private static DateTime? StoreOpen(ActivityExecutionContext context)
    {
        var now = context.Clock.GetUtcNow().UtcDateTime;
        var open = context.GetRequiredService<Service.DealershipRecords>().OpenFrom(now);
        return open == now ? null : open;
    }
}
