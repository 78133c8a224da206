using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Messaging;

/// <summary>
/// SMS through a mainland provider: the message's template (by its kind, the id from configuration) with its values,
/// under the registered signature. A message without a registered template cannot go and fails at once, so its
/// fallbacks (email, a call) take over. Answers that may change with time (the provider's 5xx, throttling) are retried;
/// anything else the provider refuses is permanent.
/// </summary>
public abstract class TemplateSmsSender(IHttpClientFactory http, IOptions<SmsOptions> sms, IOptions<Service.StoreOptions> store, TimeProvider clock) : IMessageSender
{
    public const string HttpClientName = "sms";

    public string Channel => Channels.Sms;

    protected abstract string Provider { get; }

    protected SmsOptions Options => sms.Value;

    protected TimeProvider Clock => clock;

    protected string SignName => sms.Value.Signature(store.Value);

    public Task<string> SendAsync(string messageId, string recipient, MessagePayload payload, Func<Task> handingOver, CancellationToken cancellationToken)
    {
        if (SmsTemplates.Find(payload.Template) is not { } template)
            throw new PermanentSendException($"{Provider} sends only registered templates, and this text is not one of the message kinds (a text written in the designer without a template).", "no-template");
        if (sms.Value.TemplateId(template.Kind) is not { Length: > 0 } templateId)
            throw new PermanentSendException($"No {Provider} template id is set for '{template.Kind}' (Sms:{Provider}:Templates:{template.Kind}).", "no-template");
        var values = template.Parameters.ToDictionary(p => p, p => payload.Parameters?.GetValueOrDefault(p) ?? "", StringComparer.Ordinal);
        return SendTemplateAsync(messageId, recipient, templateId, template, values, handingOver, cancellationToken);
    }

    protected abstract Task<string> SendTemplateAsync(string messageId, string recipient, string templateId, SmsTemplate template, IReadOnlyDictionary<string, string> values, Func<Task> handingOver, CancellationToken cancellationToken);

    public abstract Task<string?> FindSentAsync(string messageId, string recipient, MessagePayload payload, DateTime attemptStartedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a request and reads the JSON answer. No answer at all is ambiguous once handed over; a 5xx or 429 is
    /// transient; an answer that is not JSON is transient from a gateway (5xx) and permanent otherwise.
    /// </summary>
    protected async Task<(HttpStatusCode Status, JsonNode? Body)> ExchangeAsync(HttpRequestMessage request, Func<Task>? handingOver, CancellationToken cancellationToken)
    {
        var client = http.CreateClient(HttpClientName);
        if (handingOver != null)
            await handingOver();
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new TransientSendException($"No answer from {Provider}", ambiguous: handingOver != null, ex);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonNode? body = null;
            try
            {
                body = text.Length == 0 ? null : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
            }
            var status = (int)response.StatusCode;
            if (status >= 500 || status == 429)
                throw new TransientSendException($"{Provider} answered {status}", ambiguous: false);
            if (body is null)
                throw new PermanentSendException($"{Provider} answered {status} without its JSON", status.ToString(CultureInfo.InvariantCulture));
            return (response.StatusCode, body);
        }
    }

    /// <summary>The provider's refusal: transient when <paramref name="transient"/> says the code may pass, else permanent.</summary>
    protected Exception Refused(string? code, string? message, bool transient) => transient
        ? new TransientSendException($"{Provider} answered {code}: {message}", ambiguous: false)
        : new PermanentSendException($"{Provider} refused the message: {code} {message}".TrimEnd(), code);

    /// <summary>The number as mainland APIs take it: eleven digits for a Chinese mobile, country code and number (no +) otherwise.</summary>
    protected static string Domestic(string e164) => e164.StartsWith("+86", StringComparison.Ordinal) ? e164[3..] : e164.TrimStart('+');
}
