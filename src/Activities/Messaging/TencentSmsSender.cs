using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Messaging;

/// <summary>
/// Tencent Cloud SMS (2021-01-11): <c>SendSms</c> with the template id, its parameters in the template's order and the
/// outbox id as SessionContext; <c>PullSmsSendStatusByPhoneNumber</c> finds an earlier attempt by that context.
/// Requests are signed with TC3.
/// </summary>
public sealed class TencentSmsSender(IHttpClientFactory http, IOptions<SmsOptions> sms, IOptions<Service.StoreOptions> store, TimeProvider clock)
    : TemplateSmsSender(http, sms, store, clock)
{
    public const string Version = "2021-01-11";
    public const string ContentType = "application/json; charset=utf-8";

    protected override string Provider => SmsProviders.Tencent;

    protected override async Task<string> SendTemplateAsync(string messageId, string recipient, string templateId, SmsTemplate template, IReadOnlyDictionary<string, string> values,
        Func<Task> handingOver, CancellationToken cancellationToken)
    {
        var response = await CallAsync("SendSms", new JsonObject
        {
            ["PhoneNumberSet"] = new JsonArray(recipient),
            ["SmsSdkAppId"] = Options.Tencent.SdkAppId,
            ["SignName"] = SignName,
            ["TemplateId"] = templateId,
            ["TemplateParamSet"] = new JsonArray([.. template.Parameters.Select(p => (JsonNode?)JsonValue.Create(values[p]))]),
            ["SessionContext"] = messageId,
        }, handingOver, cancellationToken);
        var status = response?["SendStatusSet"]?.AsArray().FirstOrDefault();
        var code = status?["Code"]?.GetValue<string>();
        if (code == "Ok" && status?["SerialNo"]?.GetValue<string>() is { Length: > 0 } serial)
            return serial;
        throw Refused(code, status?["Message"]?.GetValue<string>(), Transient(code));
    }

    public override async Task<string?> FindSentAsync(string messageId, string recipient, MessagePayload payload, DateTime attemptStartedAt, CancellationToken cancellationToken)
    {
        var response = await CallAsync("PullSmsSendStatusByPhoneNumber", new JsonObject
        {
            ["BeginTime"] = new DateTimeOffset(DateTime.SpecifyKind(attemptStartedAt, DateTimeKind.Utc)).AddMinutes(-1).ToUnixTimeSeconds(),
            ["EndTime"] = Clock.GetUtcNow().ToUnixTimeSeconds(),
            ["Offset"] = 0,
            ["Limit"] = 100,
            ["PhoneNumber"] = recipient,
            ["SmsSdkAppId"] = Options.Tencent.SdkAppId,
        }, null, cancellationToken);
        return response?["PullSmsSendStatusSet"]?.AsArray().FirstOrDefault(s => s?["SessionContext"]?.GetValue<string>() == messageId)?["SerialNo"]?.GetValue<string>();
    }

    /// <summary>Internal errors and rate limits may pass; anything else (signature, template, number, balance) will not.</summary>
    private static bool Transient(string? code) => code is not null && (code.StartsWith("InternalError", StringComparison.Ordinal) || code.StartsWith("RequestLimitExceeded", StringComparison.Ordinal)
        || code is "LimitExceeded.PhoneNumberThirtySecondLimit" or "LimitExceeded.PhoneNumberOneHourLimit" or "ResourceUnavailable");

    /// <summary>One signed call; the Response object, or the provider's error as a refusal.</summary>
    private async Task<JsonNode?> CallAsync(string action, JsonObject body, Func<Task>? handingOver, CancellationToken cancellationToken)
    {
        var options = Options.Tencent;
        var uri = new Uri(options.Endpoint.TrimEnd('/') + "/");
        var payload = body.ToJsonString();
        var timestamp = Clock.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Content.Headers.ContentType!.CharSet = "utf-8";
        request.Headers.TryAddWithoutValidation("X-TC-Action", action);
        request.Headers.TryAddWithoutValidation("X-TC-Version", Version);
        request.Headers.TryAddWithoutValidation("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("X-TC-Region", options.Region);
        request.Headers.TryAddWithoutValidation("Authorization",
            Tc3Signature.Authorization(options.SecretId!, options.SecretKey!, timestamp, "sms", Tc3Signature.CanonicalRequest(ContentType, uri.Authority, payload)));
        var (_, answer) = await ExchangeAsync(request, handingOver, cancellationToken);
        var response = answer?["Response"];
        if (response?["Error"] is { } error)
        {
            var code = error["Code"]?.GetValue<string>();
            if (handingOver is null)
                throw new TransientSendException($"{Provider} could not be asked about an earlier attempt: {code}", ambiguous: true);
            throw Refused(code, error["Message"]?.GetValue<string>(), Transient(code));
        }
        return response;
    }
}
