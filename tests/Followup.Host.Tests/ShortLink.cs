using System.Net;
using System.Text.RegularExpressions;

namespace Followup.Host.Tests;

/// <summary>The short link in a customer's text, followed as the customer's phone follows it.</summary>
internal static partial class ShortLink
{
    [GeneratedRegex(@"http\S+/s/[A-Za-z0-9]{8}")]
    public static partial Regex Pattern();

    /// <summary>The signed link the text's short link redirects to (<paramref name="client"/> must not follow redirects).</summary>
    public static async Task<string> OpenAsync(HttpClient client, string text)
    {
        var match = Pattern().Match(text);
        Assert.True(match.Success, $"no short link in: {text}");
        var path = new Uri(match.Value).PathAndQuery;
        Assert.True(path.Length <= 30, $"{path} is longer than 30 characters");
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    /// <summary>The path of the signed link the text's short link opens.</summary>
    public static async Task<string> PathAsync(HttpClient client, string text) => new Uri(await OpenAsync(client, text)).PathAndQuery;
}
