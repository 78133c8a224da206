using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Followup.Host.Tests;

/// <summary>
/// Twilio's message API on a loopback port, for hosts in other processes: it accepts messages and lists them again
/// (what a sender asks after an attempt whose answer it never got), and counts every one it accepted.
/// </summary>
internal sealed class TwilioFake : IAsyncDisposable
{
    public const string AccountSid = "AC00000000000000000000000000000003";
    public const string AuthToken = "crash-test-token";
    public const string From = "+15005550006";

    private readonly WebApplication _app;

    private TwilioFake(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Sid, string To, string Body)> Accepted { get; } = new();

    public string Url => _app.Urls.First();

    public static async Task<TwilioFake> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new TwilioFake(app);
        var path = $"/2010-04-01/Accounts/{AccountSid}/Messages.json";
        app.MapPost(path, async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var sid = $"SM{Guid.NewGuid():N}";
            fake.Accepted.Enqueue((sid, form["To"].ToString(), form["Body"].ToString()));
            return Results.Json(Message(sid, form["To"].ToString(), form["Body"].ToString()), statusCode: StatusCodes.Status201Created);
        });
        app.MapGet(path, (HttpRequest request) =>
        {
            var to = request.Query["To"].ToString();
            return Results.Json(new Dictionary<string, object?>
            {
                ["messages"] = fake.Accepted.Where(m => m.To == to).Select(m => Message(m.Sid, m.To, m.Body)).ToList(),
                ["end"] = 0, ["first_page_uri"] = $"{path}?PageSize=50&Page=0", ["next_page_uri"] = null, ["page"] = 0, ["page_size"] = 50,
                ["previous_page_uri"] = null, ["start"] = 0, ["uri"] = $"{path}?PageSize=50&Page=0",
            });
        });
        await app.StartAsync();
        return fake;
    }

    private static Dictionary<string, object?> Message(string sid, string to, string body) => new()
    {
        ["sid"] = sid, ["to"] = to, ["from"] = From, ["body"] = body, ["status"] = "queued",
    };

    /// <summary>The settings that point a host at this fake.</summary>
    public Dictionary<string, string> Settings() => new()
    {
        ["Twilio__AccountSid"] = AccountSid,
        ["Twilio__AuthToken"] = AuthToken,
        ["Twilio__From"] = From,
        ["Twilio__ApiBaseUrlOverride"] = Url,
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
