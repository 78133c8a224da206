using System.Security;
using Followup.Activities.Messaging;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace Followup.Host.Messaging;

/// <summary>
/// Twilio's webhooks. Each request must carry a valid <c>X-Twilio-Signature</c> for the public URL Twilio called
/// (403 otherwise, and nothing changes). Receipts and replies are handled by <see cref="SmsReplies"/>, as every
/// provider's are; the answer to a reply goes back in the TwiML.
/// </summary>
public static class TwilioWebhooks
{
    public static WebApplication MapTwilioWebhooks(this WebApplication app)
    {
        app.MapPost("/twilio/status", StatusAsync).DisableAntiforgery();
        app.MapPost("/twilio/inbound", InboundAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> StatusAsync(HttpRequest request, SmsReplies replies, IOptions<TwilioOptions> twilio, IOptions<MessagingOptions> messaging, CancellationToken cancellationToken)
    {
        if (await ValidatedFormAsync(request, twilio.Value, messaging.Value) is not { } form)
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        var status = form.GetValueOrDefault("MessageStatus");
        var delivered = status switch
        {
            "delivered" => true,
            "undelivered" or "failed" => false,
            _ => (bool?)null,
        };
        if (form.GetValueOrDefault("MessageSid") is { } sid && status is not null)
            await replies.ReceiptAsync(sid, null, delivered, status, form.GetValueOrDefault("ErrorCode"), cancellationToken);
        return Results.Ok();
    }

    private static async Task<IResult> InboundAsync(HttpRequest request, SmsReplies replies, IOptions<TwilioOptions> twilio, IOptions<MessagingOptions> messaging, CancellationToken cancellationToken)
    {
        if (await ValidatedFormAsync(request, twilio.Value, messaging.Value) is not { } form)
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        var answer = await replies.ReceiveAsync(form.GetValueOrDefault("From") ?? "", form.GetValueOrDefault("Body") ?? "", form.GetValueOrDefault("MessageSid"), cancellationToken);
        return TwiML(answer?.Text);
    }

    /// <summary>The form when the signature is right for the configured public URL; null otherwise.</summary>
    private static async Task<Dictionary<string, string>?> ValidatedFormAsync(HttpRequest request, TwilioOptions twilio, MessagingOptions messaging)
    {
        if (string.IsNullOrEmpty(twilio.AuthToken) || !request.HasFormContentType)
            return null;
        var form = (await request.ReadFormAsync()).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        var url = messaging.PublicBaseUrl.TrimEnd('/') + request.Path + request.QueryString;
        var signature = request.Headers["X-Twilio-Signature"].ToString();
        return signature.Length > 0 && new RequestValidator(twilio.AuthToken).Validate(url, form, signature) ? form : null;
    }

    private static IResult TwiML(string? reply) =>
        Results.Content(reply is null ? "<Response/>" : $"<Response><Message>{SecurityElement.Escape(reply)}</Message></Response>", "application/xml");
}
