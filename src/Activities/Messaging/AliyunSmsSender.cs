using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Messaging;

/// <summary>
/// Alibaba Cloud SMS (dysmsapi 2017-05-25): <c>SendSms</c> with the template code, its parameters as JSON and the
/// outbox id as OutId; <c>QuerySendDetails</c> finds an earlier attempt by that OutId. Requests are signed with ACS3.
/// </summary>
public sealed class AliyunSmsSender(IHttpClientFactory http, IOptions<SmsOptions> sms, IOptions<Service.StoreOptions> store, TimeProvider clock)
    : TemplateSmsSender(http, sms, store, clock)
{
    public const string Version = "2017-05-25";

    protected override string Provider => SmsProviders.Aliyun;

    protected override async Task<string> SendTemplateAsync(string messageId, string recipient, string templateId, SmsTemplate template, IReadOnlyDictionary<string, string> values,
        Func<Task> handingOver, CancellationToken cancellationToken)
    {
        var (_, body) = await ExchangeAsync(Request("SendSms", new Dictionary<string, string>
        {
            ["PhoneNumbers"] = Domestic(recipient),
            ["SignName"] = SignName,
            ["TemplateCode"] = templateId,
            ["TemplateParam"] = JsonSerializer.Serialize(values),
            ["OutId"] = messageId,
        }), handingOver, cancellationToken);
        var code = body?["Code"]?.GetValue<string>();
        if (code == "OK" && body?["BizId"]?.GetValue<string>() is { Length: > 0 } bizId)
            return bizId;
        throw Refused(code, body?["Message"]?.GetValue<string>(), Transient(code));
    }

    public override async Task<string?> FindSentAsync(string messageId, string recipient, MessagePayload payload, DateTime attemptStartedAt, CancellationToken cancellationToken)
    {
        // Send dates are China's calendar days; an attempt just before midnight is looked for on both days.
        var china = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var days = new[] { attemptStartedAt, attemptStartedAt.AddMinutes(5) }.Select(t => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(t, DateTimeKind.Utc), china).ToString("yyyyMMdd", CultureInfo.InvariantCulture)).Distinct();
        foreach (var day in days)
        {
            var (_, body) = await ExchangeAsync(Request("QuerySendDetails", new Dictionary<string, string>
            {
                ["PhoneNumber"] = Domestic(recipient),
                ["SendDate"] = day,
                ["PageSize"] = "50",
                ["CurrentPage"] = "1",
            }), null, cancellationToken);
            var code = body?["Code"]?.GetValue<string>();
            if (code != "OK")
                throw new TransientSendException($"{Provider} could not be asked about an earlier attempt: {code}", ambiguous: true);
            var found = body?["SmsSendDetailDTOs"]?["SmsSendDetailDTO"]?.AsArray().FirstOrDefault(d => d?["OutId"]?.GetValue<string>() == messageId);
            if (found != null)
                return messageId;
        }
        return null;
    }

    /// <summary>Alibaba's system errors (isp.*) and throttling may pass; every isv.* code is about the message or the account.</summary>
    private static bool Transient(string? code) => code is not null && (code.StartsWith("isp.", StringComparison.Ordinal) || code.Contains("Throttling", StringComparison.Ordinal)
        || code is "isv.BUSINESS_LIMIT_CONTROL" or "ServiceUnavailable" or "InternalError");

    private HttpRequestMessage Request(string action, Dictionary<string, string> parameters)
    {
        var options = Options.Aliyun;
        var query = Acs3Signature.CanonicalQuery(parameters);
        var uri = new Uri($"{options.Endpoint.TrimEnd('/')}/?{query}");
        var emptyBody = Hex.Sha256("");
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.Authority,
            ["x-acs-action"] = action,
            ["x-acs-version"] = Version,
            ["x-acs-date"] = Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["x-acs-signature-nonce"] = Guid.NewGuid().ToString("N"),
            ["x-acs-content-sha256"] = emptyBody,
        };
        var request = new HttpRequestMessage(HttpMethod.Post, uri);
        foreach (var (name, value) in headers.Where(h => h.Key != "host"))
            request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.TryAddWithoutValidation("Authorization", Acs3Signature.Authorization(options.AccessKeyId!, options.AccessKeySecret!, "POST", "/", query, headers, emptyBody));
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }
}
