using System.Net;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Expressions;
using Followup.Workflows.Runtime;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Messaging;

[Activity("Followup", "Messaging", "Send an email to the customer, in their language, through the outbox.", DisplayName = "Send email")]
public sealed class SendEmail(LiquidEvaluator liquid) : Activity
{
    [Input(Description = "The customer's email address.")]
    public Input<string> To { get; set; } = new(null);

    [Input(Description = "The customer's language (zh-CN or en).", DefaultValue = "zh-CN")]
    public Input<string> Language { get; set; } = new(null);

    [Input(DisplayName = "Subject (中文)", Description = "Subject in Chinese (Liquid template).")]
    public Input<string> SubjectZhCn { get; set; } = new(null);

    [Input(DisplayName = "Subject (English)", Description = "Subject in English (Liquid template).")]
    public Input<string> SubjectEn { get; set; } = new(null);

    [Input(DisplayName = "Body (中文)", Description = "Body in Chinese (Liquid template, plain text; paragraphs separated by blank lines).", UIHint = "multiline")]
    public Input<string> BodyZhCn { get; set; } = new(null);

    [Input(DisplayName = "Body (English)", Description = "Body in English (Liquid template, plain text; paragraphs separated by blank lines).", UIHint = "multiline")]
    public Input<string> BodyEn { get; set; } = new(null);

    [Input(Description = "A transactional message (a confirmation, an invoice) rather than a reminder or offer; the latter carry an unsubscribe link.", DefaultValue = "true")]
    public Input<bool> Transactional { get; set; } = new(null);

    [Input(Description = "Send during quiet hours too.", DefaultValue = false)]
    public Input<bool> Urgent { get; set; } = new(null);

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (Outbox.SkipWithoutAddress(context, context.Get(To)) is not { } to)
            return context.CompleteAsync();
        var (language, text) = Outbox.Choose(context.Get(Language), liquid.RenderTemplate(BodyZhCn, context), liquid.RenderTemplate(BodyEn, context));
        var (_, subject) = Outbox.Choose(language, liquid.RenderTemplate(SubjectZhCn, context), liquid.RenderTemplate(SubjectEn, context));
        var html = "<html><body>" + string.Concat(text.Split("\n\n").Select(p => $"<p>{WebUtility.HtmlEncode(p).Replace("\n", "<br>", StringComparison.Ordinal)}</p>")) + "</body></html>";
        Outbox.Email(context, to, new MessagePayload(language, text, subject, html, context.Get(Transactional)), context.Get(Urgent));
        return context.CompleteAsync();
    }
}
