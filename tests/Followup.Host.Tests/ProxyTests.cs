using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Followup.Host.Security;

namespace Followup.Host.Tests;

/// <summary>
/// The host on a real port behind what looks like a reverse proxy on the same machine (requests from 127.0.0.1 with
/// X-Forwarded-* headers): who is let into the job dashboard, whose address and scheme are believed, the headers every
/// answer carries, and how sign-in failures are counted and answered.
/// </summary>
public sealed partial class ProxyTests
{
    private static HttpClient Browser(string address, string? forwardedFor = null, bool https = false)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(address) };
        if (forwardedFor != null)
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        if (https)
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return client;
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password)
    {
        var page = await client.GetStringAsync("/account/login");
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HostFactory.AntiforgeryToken(page),
            ["UserName"] = user,
            ["Password"] = password,
            ["ReturnUrl"] = "/",
        }));
    }

    [Fact]
    public async Task Through_a_proxy_on_the_same_machine_the_job_dashboard_is_for_signed_in_managers_only()
    {
        await using var host = new HostFactory();
        var address = host.StartKestrel();
        await host.AddStaffAsync("wang", "manager-pass-2026", Roles.Manager);
        await host.AddStaffAsync("li", "advisor-pass-2026", Roles.Advisor);

        // Every visitor of a proxy on this machine comes from 127.0.0.1: that alone lets no one in.
        var visitor = Browser(address, forwardedFor: "203.0.113.50");
        var page = await visitor.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/account/login", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var trigger = await visitor.PostAsync("/hangfire/recurring/trigger", new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = "followup:timer-sweep" }));
        Assert.NotEqual(HttpStatusCode.OK, trigger.StatusCode);
        var delete = await visitor.PostAsync("/hangfire/jobs/scheduled/delete", new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = "1" }));
        Assert.NotEqual(HttpStatusCode.OK, delete.StatusCode);

        var advisor = Browser(address);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(advisor, "li", "advisor-pass-2026")).StatusCode);
        var refused = await advisor.GetAsync("/hangfire");
        Assert.Contains("/account/denied", refused.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);

        var manager = Browser(address);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(manager, "wang", "manager-pass-2026")).StatusCode);
        var dashboard = await manager.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Followup jobs", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_answer_carries_the_security_headers_and_pages_with_personal_data_are_never_cached()
    {
        await using var host = new HostFactory();
        var address = host.StartKestrel();
        await host.AddStaffAsync("wang", "manager-pass-2026", Roles.Manager);
        var browser = Browser(address);
        foreach (var path in new[] { "/account/login", "/c/not-a-token", "/health/live" })
        {
            var response = await browser.GetAsync(path);
            var headers = response.Headers;
            Assert.Contains("frame-ancestors 'none'", headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("nosniff", headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", headers.GetValues("Referrer-Policy").Single());
            Assert.True(headers.CacheControl?.NoStore, $"{path} may be cached");
        }
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(browser, "wang", "manager-pass-2026")).StatusCode);
        var inbox = await browser.GetAsync("/inbox/");
        Assert.True(inbox.Headers.CacheControl?.NoStore);
        Assert.False(inbox.Headers.Contains("Strict-Transport-Security"), "HSTS is only sent over HTTPS");
    }

    [Fact]
    public async Task Only_a_configured_proxy_is_believed_and_then_cookies_are_secure_and_HSTS_is_sent_for_its_https_requests()
    {
        // Without a configured proxy, the forwarded scheme is ignored: nobody can make the host believe it is HTTPS.
        await using (var plain = new HostFactory())
        {
            var address = plain.StartKestrel();
            var client = Browser(address, forwardedFor: "198.51.100.7", https: true);
            var login = await client.GetAsync("/account/login");
            Assert.DoesNotContain(login.Headers.GetValues("Set-Cookie"), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
            Assert.False(login.Headers.Contains("Strict-Transport-Security"));
        }

        await using var host = new HostFactory();
        host.Settings["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1";
        var proxied = host.StartKestrel();
        await host.AddStaffAsync("wang", "manager-pass-2026", Roles.Manager);
        var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(proxied) };
        browser.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        browser.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var page = await browser.GetAsync("/account/login");
        Assert.All(page.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("max-age=", page.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        // (The client speaks plain HTTP to the "proxy", so it keeps secure cookies to itself: they are sent by hand, as the browser would over HTTPS.)
        var form = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = HostFactory.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
                ["UserName"] = "wang",
                ["Password"] = "manager-pass-2026",
            }),
        };
        form.Headers.Add("Cookie", string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        var signedIn = await browser.SendAsync(form);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("followup.staff=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Wrong_passwords_from_a_stranger_neither_lock_out_the_account_nor_tell_which_names_exist()
    {
        await using var host = new HostFactory();
        host.Settings["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1";
        var address = host.StartKestrel();
        await host.AddStaffAsync("wang", "manager-pass-2026", Roles.Manager);

        // A stranger tries five wrong passwords for a real account and one for a name that does not exist.
        var stranger = Browser(address, forwardedFor: "203.0.113.9");
        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var failed = await SignInAsync(stranger, "wang", $"guess-{i}-0000");
            Assert.Equal(HttpStatusCode.BadRequest, failed.StatusCode);
            answers.Add(Message(await failed.Content.ReadAsStringAsync()));
        }
        var unknown = await SignInAsync(stranger, "nobody-here", "guess-0000");
        answers.Add(Message(await unknown.Content.ReadAsStringAsync()));
        // From the stranger's address even the right password gets the same answer now: guessing is paused there.
        var paused = await SignInAsync(stranger, "wang", "manager-pass-2026");
        Assert.Equal(HttpStatusCode.BadRequest, paused.StatusCode);
        answers.Add(Message(await paused.Content.ReadAsStringAsync()));
        Assert.Single(answers.Distinct());

        // The manager, at the store, signs in as usual.
        var manager = Browser(address, forwardedFor: "192.0.2.20");
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(manager, "wang", "manager-pass-2026")).StatusCode);
    }

    private static string Message(string page) => MessageRegex().Match(page).Groups[1].Value;

    [GeneratedRegex("class=\"error\" role=\"alert\">([^<]+)<")]
    private static partial Regex MessageRegex();

    [Fact]
    public async Task The_designer_token_stops_working_when_its_session_signs_out()
    {
        await using var host = new HostFactory();
        var address = host.StartKestrel();
        await host.AddStaffAsync("wang", "manager-pass-2026", Roles.Manager);
        var browser = Browser(address);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(browser, "wang", "manager-pass-2026")).StatusCode);
        var designer = await browser.GetStringAsync("/designer/");
        var token = WebUtility.HtmlDecode(Regex.Match(designer, "access-token=\"([^\"]+)\"").Groups[1].Value);
        var studio = new HttpClient { BaseAddress = new Uri(address) };
        studio.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await studio.GetAsync("/elsa/api/workflow-definitions")).StatusCode);

        var home = await browser.GetStringAsync("/");
        var signOut = await browser.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = HostFactory.AntiforgeryToken(home) }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await studio.GetAsync("/elsa/api/workflow-definitions")).StatusCode);
    }
}
