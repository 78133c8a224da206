using Twilio.Security;

namespace Followup.Host.Tests;

/// <summary>Requests as Twilio sends them to our webhooks, signed with the account's auth token.</summary>
internal static class TwilioRequests
{
    public static Task<HttpResponseMessage> PostSignedAsync(HttpClient client, string publicUrl, string path, Dictionary<string, string> form, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", Sign(token, publicUrl + path, form));
        return client.SendAsync(request);
    }

    /// <summary>Twilio's algorithm: base64(HMAC-SHA1(token, url + keys and values sorted by key)), checked against the SDK's validator.</summary>
    private static string Sign(string token, string url, Dictionary<string, string> form)
    {
        var data = url + string.Concat(form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + p.Value));
        using var hmac = new System.Security.Cryptography.HMACSHA1(System.Text.Encoding.UTF8.GetBytes(token));
        var signature = Convert.ToBase64String(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes(data)));
        Assert.True(new RequestValidator(token).Validate(url, form, signature));
        return signature;
    }
}
