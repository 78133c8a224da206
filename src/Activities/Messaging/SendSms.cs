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

    [Input(Description = "The message kind registered with a mainland SMS provider (Alibaba Cloud, Tencent Cloud), which sends that approved template with the values below instead of the text; empty for a text of your own, which goes by Twilio or email only. docs/sms-templates.md lists each kind's text.",
        UIHint = "dropdown", Options = ["", SmsTemplates.AppointmentBooked, SmsTemplates.AppointmentReminder, SmsTemplates.AppointmentCancelled, SmsTemplates.PromisedTime, SmsTemplates.PromisedTimeWaiting,
            SmsTemplates.PromisedTimeChanged, SmsTemplates.VehicleReady, SmsTemplates.VisitThanks, SmsTemplates.DeclinedWorkNoted, SmsTemplates.ComebackApology])]
    public Input<string> Template { get; set; } = new(null);

    [Input(Description = "The template's values: a JSON object of name → Liquid, e.g. { \"name\": \"{{ Variables.Visit.CustomerName }}\" }.", UIHint = "json-editor")]
    public Input<string> Parameters { get; set; } = new(null);

    [Input(Description = "The customer's email (with their consent): the message goes there when there is no mobile number to text, or when the SMS cannot be delivered.")]
    public Input<string> Email { get; set; } = new(null);

    [Input(Description = "Send during quiet hours too (vehicle ready, safety).", DefaultValue = false)]
    public Input<bool> Urgent { get; set; } = new(null);

    [Input(Description = "Hold the message until the store opens when it is closed (a customer waiting on site is told at once).", DefaultValue = false)]
    public Input<bool> InStoreHours { get; set; } = new(null);

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var (language, text) = Outbox.Choose(context.Get(Language), liquid.RenderTemplate(TextZhCn, context), liquid.RenderTemplate(TextEn, context));
        var message = new MessagePayload(language, text);
        if (liquid.RenderTemplate(Template, context)?.Trim() is { Length: > 0 } kind)
            message = message.As(SmsTemplates.Find(kind)?.Kind ?? throw new ArgumentException($"'{kind}' is not a message kind; the kinds are {string.Join(", ", SmsTemplates.Kinds)}."), Values(context));
        var notBefore = context.Get(InStoreHours) ? StoreOpen(context) : null;
        Outbox.SmsOrEmail(context, context.Get(To), context.Get(Email), message, context.Get(Urgent), notBefore);
        return context.CompleteAsync();
    }

    /// <summary>The template's values, each rendered with Liquid.</summary>
    private Dictionary<string, string> Values(ActivityExecutionContext context)
    {
        var json = context.Get(Parameters);
        if (string.IsNullOrWhiteSpace(json))
            return [];
        System.Text.Json.Nodes.JsonObject values;
        try
        {
            values = System.Text.Json.Nodes.JsonNode.Parse(json) as System.Text.Json.Nodes.JsonObject ?? throw new ArgumentException("The template's values are a JSON object of name → text.");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new ArgumentException($"The template's values are not JSON: {ex.Message}");
        }
        return values.ToDictionary(p => p.Key, p => liquid.Render(p.Value?.ToString() ?? "", context), StringComparer.Ordinal);
    }

    /// <summary>When the store next opens (UTC), or null when it is open now.</summary>
    private static DateTime? StoreOpen(ActivityExecutionContext context)
    {
        var now = context.Clock.GetUtcNow().UtcDateTime;
        var open = context.GetRequiredService<Service.DealershipRecords>().OpenFrom(now);
        return open == now ? null : open;
    }
}
