using System.Collections;
using System.Text.RegularExpressions;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Messaging;

/// <summary>
/// Elsa's SendEmail: one email per recipient (To, Cc and Bcc), through the same outbox, consent checks and SMTP sender as
/// Followup's own email step. The body is HTML as in Elsa; its text part is the body without tags.
/// </summary>
[Activity("Elsa", "Email", "Send an email message through the outbox.", Type = "SendEmail", DisplayName = "Send Email")]
public sealed partial class ElsaSendEmail : Activity
{
    [Input(Description = "The sender's address; the store's sender when empty.")]
    public Input<string> From { get; set; } = new(null);

    [Input(Description = "The recipients.", UIHint = "multi-text")]
    public Input<object> To { get; set; } = new(null);

    [Input(Description = "The CC recipients.", UIHint = "multi-text")]
    public Input<object> Cc { get; set; } = new(null);

    [Input(Description = "The BCC recipients.", UIHint = "multi-text")]
    public Input<object> Bcc { get; set; } = new(null);

    [Input(Description = "The subject.")]
    public Input<string> Subject { get; set; } = new(null);

    [Input(Description = "The body (HTML).", UIHint = "multiline")]
    public Input<string> Body { get; set; } = new(null);

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var recipients = Outbox.SkipWithoutAddresses(context, [.. new[] { To, Cc, Bcc }.SelectMany(i => Addresses(context.Get(i))).Distinct(StringComparer.OrdinalIgnoreCase)]);
        if (recipients.Count == 0)
            return context.CompleteAsync();
        var html = context.Get(Body) ?? "";
        var text = System.Net.WebUtility.HtmlDecode(Tags().Replace(html.Replace("<br>", "\n", StringComparison.OrdinalIgnoreCase).Replace("</p>", "\n\n", StringComparison.OrdinalIgnoreCase), "")).Trim();
        var language = Cjk().IsMatch(text + context.Get(Subject)) ? "zh-CN" : "en";
        var payload = new MessagePayload(language, text, context.Get(Subject) ?? "", string.IsNullOrWhiteSpace(html) ? null : html);
        foreach (var to in recipients)
            Outbox.Email(context, to, payload, urgent: false);
        return context.CompleteAsync();
    }

    private static IEnumerable<string> Addresses(object? value) => value switch
    {
        null => [],
        string s when s.TrimStart().StartsWith('[') => Addresses(System.Text.Json.JsonSerializer.Deserialize<List<string>>(s)),
        string s => s.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        IEnumerable items => items.Cast<object?>().SelectMany(Addresses),
        _ => [value.ToString()!],
    };

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Cjk();
}
