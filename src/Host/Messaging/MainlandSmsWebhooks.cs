using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Followup.Activities.Messaging;
using Microsoft.Extensions.Options;

namespace Followup.Host.Messaging;

/// <summary>
/// The callbacks of the mainland SMS providers, configured in their consoles as
/// <c>{PublicBaseUrl}/sms/{aliyun|tencent}/{report|reply}?token={Sms:CallbackToken}</c>. Neither provider signs its
/// callbacks, so each must carry the secret token of the provider in use (403 otherwise, and nothing changes).
/// Receipts and replies feed <see cref="SmsReplies"/>, as Twilio's do; a cancellation is confirmed by a message of its
/// own, since these providers take no answer in the callback's response.
/// </summary>
public static class MainlandSmsWebhooks
{
    public static WebApplication MapMainlandSmsWebhooks(this WebApplication app)
    {
        app.MapPost("/sms/aliyun/report", (HttpRequest r, SmsReplies replies, IOptions<SmsOptions> sms, CancellationToken ct) =>
            HandleAsync(r, sms.Value, SmsProviders.Aliyun, AliyunOk, async items =>
            {
                // [{ phone_number, send_time, report_time, success, err_code, err_msg, sms_size, biz_id, out_id }]
                foreach (var item in items)
                {
                    var success = item["success"]?.GetValueKind() == JsonValueKind.True;
                    var code = Text(item, "err_code") ?? (success ? "DELIVERED" : "UNKNOWN");
                    await replies.ReceiptAsync(Text(item, "biz_id") ?? "", Text(item, "out_id"), success, code, success ? null : code, ct);
                }
            })).DisableAntiforgery();
        app.MapPost("/sms/aliyun/reply", (HttpRequest r, SmsReplies replies, IOptions<SmsOptions> sms, CancellationToken ct) =>
            HandleAsync(r, sms.Value, SmsProviders.Aliyun, AliyunOk, async items =>
            {
                // [{ phone_number, send_time, content, sign_name, dest_code, sequence_id }]
                foreach (var item in items)
                {
                    var from = Text(item, "phone_number") ?? "";
                    var answer = await replies.ReceiveAsync(from.StartsWith('+') ? from : Mainland(from), Text(item, "content") ?? "", $"aliyun:{Text(item, "sequence_id")}", ct);
                    if (answer != null)
                        await replies.SendSeparatelyAsync(answer, ct);
                }
            })).DisableAntiforgery();
        app.MapPost("/sms/tencent/report", (HttpRequest r, SmsReplies replies, IOptions<SmsOptions> sms, CancellationToken ct) =>
            HandleAsync(r, sms.Value, SmsProviders.Tencent, TencentOk, async items =>
            {
                // [{ user_receive_time, nationcode, mobile, report_status, errmsg, description, sid }]
                foreach (var item in items)
                {
                    var success = Text(item, "report_status") == "SUCCESS";
                    var code = Text(item, "errmsg") ?? Text(item, "report_status") ?? "UNKNOWN";
                    await replies.ReceiptAsync(Text(item, "sid") ?? "", null, success, code, success ? null : code, ct);
                }
            })).DisableAntiforgery();
        app.MapPost("/sms/tencent/reply", (HttpRequest r, SmsReplies replies, IOptions<SmsOptions> sms, CancellationToken ct) =>
            HandleAsync(r, sms.Value, SmsProviders.Tencent, TencentOk, async items =>
            {
                // { extend, mobile, nationcode, sign, text, time }; the same reply delivered twice has the same time, number and text.
                foreach (var item in items)
                {
                    var from = $"+{Text(item, "nationcode") ?? "86"}{Text(item, "mobile")}";
                    var text = Text(item, "text") ?? "";
                    var id = $"tencent:{from}:{Text(item, "time")}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16]}";
                    var answer = await replies.ReceiveAsync(from, text, id, ct);
                    if (answer != null)
                        await replies.SendSeparatelyAsync(answer, ct);
                }
            })).DisableAntiforgery();
        return app;
    }

    private static readonly JsonObject AliyunOk = new() { ["code"] = 0, ["msg"] = "接收成功" };
    private static readonly JsonObject TencentOk = new() { ["result"] = 0, ["errmsg"] = "OK" };

    /// <summary>Checks the token, reads the JSON (one object or an array of them) and hands the items over.</summary>
    private static async Task<IResult> HandleAsync(HttpRequest request, SmsOptions sms, string provider, JsonObject ok, Func<IReadOnlyList<JsonObject>, Task> handle)
    {
        if (sms.Provider != provider || !TokenMatches(sms.CallbackToken, request.Query["token"].ToString()))
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body);
        }
        catch (JsonException)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The callback's body is not JSON");
        }
        var items = body switch
        {
            JsonArray array => array.OfType<JsonObject>().ToList(),
            JsonObject one => [one],
            _ => null,
        };
        if (items is null)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The callback's body is neither an object nor an array of them");
        await handle(items);
        return Results.Json(ok.DeepClone());
    }

    private static bool TokenMatches(string? expected, string given) =>
        !string.IsNullOrEmpty(expected) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    private static string? Text(JsonObject item, string name) => item[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        var other => other.ToJsonString(),
    };

    /// <summary>A number as Alibaba reports it: eleven digits for a mainland mobile, else with its country code.</summary>
    private static string Mainland(string number) => number.Length == 11 && number[0] == '1' ? "+86" + number : "+" + number.TrimStart('0');
}
