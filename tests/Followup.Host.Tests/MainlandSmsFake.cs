using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace Followup.Host.Tests;

/// <summary>
/// Alibaba Cloud's or Tencent Cloud's SMS API on WireMock: it checks each request's signature the way the provider
/// documents it (recomputed here from the request as it arrived, with the fake's own copy of the secret), accepts
/// SendSms, lists accepted messages to the query APIs, and can answer 5xx or refuse a number.
/// </summary>
internal sealed class MainlandSmsFake : IDisposable
{
    public const string KeyId = "fake-key-id";
    public const string Secret = "fake-secret-7f3a";
    public const string AppId = "1400000001";
    public const string Token = "callback-token-0123456789abcdef";

    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    private int _serial;

    public MainlandSmsFake(string provider)
    {
        Provider = provider;
        _server.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithCallback(Answer));
    }

    public string Provider { get; }

    /// <summary>Accepted messages: the provider's id, the number, the template, its values and our message id.</summary>
    public ConcurrentQueue<(string Id, string Phone, string Template, IReadOnlyList<string> Values, string MessageId, string SignName)> Accepted { get; } = new();

    /// <summary>Answers to SendSms still to give 503 before accepting.</summary>
    public int Unavailable { get; set; }

    /// <summary>The query APIs answer 503 while set (the provider cannot be asked about an earlier attempt).</summary>
    public bool QueryUnavailable { get; set; }

    /// <summary>A number the provider refuses (a permanent error).</summary>
    public string? RefusedNumber { get; set; }

    public int SendAttempts => _server.LogEntries.Count(e => Action(e.RequestMessage) == "SendSms");

    public int BadSignatures { get; private set; }

    /// <summary>The template id configured for each message kind: the kind's position, with the provider's prefix.</summary>
    public static string TemplateId(string provider, string kind) =>
        (provider == "Aliyun" ? "SMS_1000" : "200") + Followup.Activities.Messaging.SmsTemplates.All.ToList().FindIndex(t => t.Kind == kind).ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>The settings that point a host at this fake (<paramref name="secret"/>: the secret the host signs with).</summary>
    public void Configure(HostFactory host, string secret = Secret)
    {
        host.Settings["Sms:Provider"] = Provider;
        host.Settings["Sms:CallbackToken"] = Token;
        var section = $"Sms:{Provider}:";
        if (Provider == "Aliyun")
            (host.Settings[section + "AccessKeyId"], host.Settings[section + "AccessKeySecret"]) = (KeyId, secret);
        else
            (host.Settings[section + "SecretId"], host.Settings[section + "SecretKey"], host.Settings[section + "SdkAppId"]) = (KeyId, secret, AppId);
        host.Settings[section + "Endpoint"] = _server.Url!;
        foreach (var template in Followup.Activities.Messaging.SmsTemplates.All)
            host.Settings[$"{section}Templates:{template.Kind}"] = TemplateId(Provider, template.Kind);
    }

    private static string? Action(IRequestMessage request) =>
        request.Headers?.TryGetValue("x-acs-action", out var acs) == true ? acs[0] : request.Headers?.TryGetValue("X-TC-Action", out var tc) == true ? tc[0] : null;

    private IResponseMessage Answer(IRequestMessage request)
    {
        if (!SignatureHolds(request))
        {
            BadSignatures++;
            return Provider == "Aliyun"
                ? Json(400, new JsonObject { ["Code"] = "SignatureDoesNotMatch", ["Message"] = "Specified signature is not matched with our calculation.", ["RequestId"] = "r-1" })
                : Json(200, new JsonObject { ["Response"] = new JsonObject { ["Error"] = new JsonObject { ["Code"] = "AuthFailure.SignatureFailure", ["Message"] = "The provided credentials could not be validated." }, ["RequestId"] = "r-1" } });
        }
        var action = Action(request);
        var input = Provider == "Aliyun" ? Query(request) : JsonNode.Parse(request.Body!)!.AsObject().ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : p.Value!.ToJsonString());
        if (action == "SendSms")
        {
            if (Unavailable > 0)
            {
                Unavailable--;
                return Json(503, Provider == "Aliyun" ? new JsonObject { ["Code"] = "ServiceUnavailable", ["Message"] = "The request has failed due to a temporary failure of the server." }
                    : new JsonObject { ["Response"] = new JsonObject { ["Error"] = new JsonObject { ["Code"] = "InternalError", ["Message"] = "busy" } } });
            }
            return Provider == "Aliyun" ? AliyunSend(input) : TencentSend(JsonNode.Parse(request.Body!)!.AsObject());
        }
        if (QueryUnavailable && action is "QuerySendDetails" or "PullSmsSendStatusByPhoneNumber")
            return Json(503, new JsonObject { ["Code"] = "ServiceUnavailable", ["Message"] = "busy" });
        if (action is "QuerySendDetails")
            return Json(200, new JsonObject
            {
                ["Code"] = "OK",
                ["TotalCount"] = Accepted.Count(a => a.Phone == input["PhoneNumber"]),
                ["SmsSendDetailDTOs"] = new JsonObject { ["SmsSendDetailDTO"] = new JsonArray([.. Accepted.Where(a => a.Phone == input["PhoneNumber"]).Select(a => (JsonNode)new JsonObject { ["OutId"] = a.MessageId, ["PhoneNum"] = a.Phone, ["TemplateCode"] = a.Template, ["SendStatus"] = 3 })]) },
            });
        if (action is "PullSmsSendStatusByPhoneNumber")
            return Json(200, new JsonObject
            {
                ["Response"] = new JsonObject
                {
                    ["PullSmsSendStatusSet"] = new JsonArray([.. Accepted.Where(a => a.Phone == input["PhoneNumber"]).Select(a => (JsonNode)new JsonObject { ["SerialNo"] = a.Id, ["PhoneNumber"] = a.Phone, ["SessionContext"] = a.MessageId, ["ReportStatus"] = "SUCCESS" })]),
                    ["RequestId"] = "r-2",
                },
            });
        return Json(400, new JsonObject { ["Code"] = "InvalidAction", ["Message"] = action });
    }

    private IResponseMessage AliyunSend(Dictionary<string, string> input)
    {
        if (input["PhoneNumbers"] == RefusedNumber)
            return Json(200, new JsonObject { ["Code"] = "isv.MOBILE_NUMBER_ILLEGAL", ["Message"] = "非法手机号", ["RequestId"] = "r-3" });
        var values = JsonNode.Parse(input["TemplateParam"])!.AsObject();
        var id = $"9006{Interlocked.Increment(ref _serial):D12}";
        Accepted.Enqueue((id, input["PhoneNumbers"], input["TemplateCode"], [.. values.Select(v => $"{v.Key}={v.Value}")], input["OutId"], input["SignName"]));
        return Json(200, new JsonObject { ["Code"] = "OK", ["Message"] = "OK", ["BizId"] = id, ["RequestId"] = "r-4" });
    }

    private IResponseMessage TencentSend(JsonObject body)
    {
        var phone = body["PhoneNumberSet"]![0]!.GetValue<string>();
        if (phone == RefusedNumber)
            return Json(200, new JsonObject { ["Response"] = new JsonObject { ["SendStatusSet"] = new JsonArray(new JsonObject { ["SerialNo"] = "", ["PhoneNumber"] = phone, ["Code"] = "InvalidParameterValue.IncorrectPhoneNumber", ["Message"] = "incorrect phone number" }), ["RequestId"] = "r-3" } });
        var id = $"5000:{Interlocked.Increment(ref _serial):D20}";
        Accepted.Enqueue((id, phone, body["TemplateId"]!.GetValue<string>(), [.. body["TemplateParamSet"]!.AsArray().Select(v => v!.GetValue<string>())], body["SessionContext"]!.GetValue<string>(), body["SignName"]!.GetValue<string>()));
        return Json(200, new JsonObject { ["Response"] = new JsonObject { ["SendStatusSet"] = new JsonArray(new JsonObject { ["SerialNo"] = id, ["PhoneNumber"] = phone, ["Code"] = "Ok", ["Message"] = "send success", ["Fee"] = 1 }), ["RequestId"] = "r-4" } });
    }

    private static Dictionary<string, string> Query(IRequestMessage request) =>
        (request.RawQuery ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""), StringComparer.Ordinal);

    private static string Header(IRequestMessage request, string name) =>
        request.Headers!.First(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value[0];

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static string Sha256(string text) => Hex(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The provider's own check, from the documentation: recompute the signature of the request as received.</summary>
    private bool SignatureHolds(IRequestMessage request)
    {
        try
        {
            var authorization = Header(request, "Authorization");
            return Provider == "Aliyun" ? AliyunHolds(request, authorization) : TencentHolds(request, authorization);
        }
        catch (InvalidOperationException)
        {
            return false; // a header the signature needs is missing
        }
    }

    private static bool AliyunHolds(IRequestMessage request, string authorization)
    {
        // ACS3-HMAC-SHA256 Credential=…,SignedHeaders=a;b,Signature=…
        var parts = authorization["ACS3-HMAC-SHA256 ".Length..].Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        if (parts["Credential"] != KeyId || Header(request, "x-acs-content-sha256") != Sha256(request.Body ?? ""))
            return false;
        var signed = parts["SignedHeaders"].Split(';');
        if (!signed.Contains("host") || !signed.Contains("x-acs-date") || !signed.Contains("x-acs-signature-nonce") || !signed.Contains("x-acs-action"))
            return false;
        var query = string.Join('&', Query(request).Select(p => (Uri.EscapeDataString(p.Key), Uri.EscapeDataString(p.Value))).OrderBy(p => p.Item1, StringComparer.Ordinal).Select(p => $"{p.Item1}={p.Item2}"));
        var headers = string.Concat(signed.Select(h => $"{h}:{Header(request, h).Trim()}\n"));
        var canonical = $"POST\n{request.Path}\n{query}\n{headers}\n{parts["SignedHeaders"]}\n{Sha256(request.Body ?? "")}";
        var expected = Hex(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"ACS3-HMAC-SHA256\n{Sha256(canonical)}")));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts["Signature"]));
    }

    private static bool TencentHolds(IRequestMessage request, string authorization)
    {
        // TC3-HMAC-SHA256 Credential=id/date/service/tc3_request, SignedHeaders=content-type;host, Signature=…
        var parts = authorization["TC3-HMAC-SHA256 ".Length..].Split(", ").Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var scope = parts["Credential"].Split('/');
        var timestamp = long.Parse(Header(request, "X-TC-Timestamp"), CultureInfo.InvariantCulture);
        var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (scope[0] != KeyId || scope[1] != date || scope[2] != "sms" || scope[3] != "tc3_request")
            return false;
        var signed = parts["SignedHeaders"].Split(';');
        var headers = string.Concat(signed.Select(h => $"{h}:{Header(request, h).Trim().ToLowerInvariant()}\n"));
        var canonical = $"POST\n/\n\n{headers}\n{parts["SignedHeaders"]}\n{Sha256(request.Body ?? "")}";
        var toSign = $"TC3-HMAC-SHA256\n{timestamp}\n{date}/sms/tc3_request\n{Sha256(canonical)}";
        var key = HMACSHA256.HashData(HMACSHA256.HashData(HMACSHA256.HashData(Encoding.UTF8.GetBytes("TC3" + Secret), Encoding.UTF8.GetBytes(date)), "sms"u8), "tc3_request"u8);
        var expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts["Signature"]));
    }

    private static ResponseMessage Json(int status, JsonObject body)
    {
        var response = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
        };
        response.AddHeader("Content-Type", "application/json; charset=utf-8");
        return response;
    }

    public void Dispose() => _server.Stop();
}
