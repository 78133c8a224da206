using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Followup.Activities.Messaging;
using Followup.Host.Scheduling;
using Followup.Host.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

/// <summary>The customer's approval link: phone-sized page, exactly the chosen lines, and refusals for expired, used and tampered links.</summary>
public sealed class ApprovalTests
{
    private const string Lines = """
        [ { "id": "oil", "description": "Oil and filter change", "labour": 100, "parts": 200, "hours": 0.5 },
          { "id": "brakes", "description": "Front brake pads", "reason": "Pads at 2 mm", "labour": 150, "parts": 400, "hours": 1 },
          { "id": "wipers", "description": "Wiper blades", "labour": 20, "parts": 80 } ]
        """;

    private static string Estimate(string id, string customer) => Workflow(id,
        [Activity("start", "Elsa.Start"),
         Activity("approval", "Followup.EstimateApproval", string.Join(",",
             Input("customerName", "String", customer), Input("phone", "String", "13800138000"), Input("language", "String", "en"),
             Input("lines", "String", Lines), Input("expiresIn", "TimeSpan", "1.00:00:00"), Input("remindAfter", "TimeSpan", "04:00:00")),
             custom: "") .Replace("\"customProperties\"", "\"approvedLines\": { \"typeName\": \"Object\", \"memoryReference\": { \"id\": \"approved\" } }, \"customProperties\"", StringComparison.Ordinal),
         Activity("all", "Elsa.SetName", Input("value", "String", "all")),
         Activity("some", "Elsa.SetName", Input("value", "String", "JSON.stringify(getApproved())", "JavaScript")),
         Activity("none", "Elsa.SetName", Input("value", "String", "declined")),
         Activity("late", "Elsa.SetName", Input("value", "String", "timed out"))],
        [Connection("start", "approval"), Connection("approval", "all", "Approved"), Connection("approval", "some", "PartiallyApproved"),
         Connection("approval", "none", "Declined"), Connection("approval", "late", "TimedOut")],
        extra: """ "variables": [ { "id": "approved", "name": "Approved", "typeName": "Object" } ], """);

    private static async Task<string> LinkAsync(HostFactory host, string address, int index = 0)
    {
        var messages = await Poll.UntilAsync(() => host.Outbox.ListAsync(null, 20, CancellationToken.None), m => m.Count(o => o.Channel == Channels.Sms) > index, what: "the link SMS");
        var text = MessagePayload.FromJson(messages.Where(o => o.Channel == Channels.Sms).OrderBy(o => o.CreatedAt).ElementAt(index).Payload).Text;
        return (await ShortLink.OpenAsync(host.NoRedirectClient(), text)).Replace("http://localhost:5080", address, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customer_approves_two_of_three_lines_on_a_phone_and_the_workflow_continues_with_exactly_those()
    {
        var address = "";
        await using var host = new HostFactory(("estimate.json", Estimate("estimate", "Li Wei")));
        address = host.StartKestrel();
        var api = host.Api();
        var id = await Poll.StartAsync(api, "estimate");
        var link = await LinkAsync(host, address);
        await Poll.StartAsync(api, "estimate");
        var laterLink = await LinkAsync(host, address, 1);

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var phone = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile" });
        var page = await phone.NewPageAsync();
        await page.GotoAsync(link);
        await Assertions.Expect(page.GetByText("Your service estimate")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#total")).ToHaveTextAsync("950.00");
        await page.Locator("input[name=line][value=wipers]").UncheckAsync();
        await Assertions.Expect(page.Locator("#total")).ToHaveTextAsync("850.00");
        await page.ClickAsync("button[value=approve]");
        await Assertions.Expect(page.GetByText("Please enter your name and tick the consent box.")).ToBeVisibleAsync();
        await page.Locator("input[name=line][value=wipers]").UncheckAsync();
        await page.FillAsync("input[name=signedName]", "Li Wei");
        await page.CheckAsync("input[name=consent]");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsFolder, "estimate-on-phone.png"), FullPage = true });
        await page.ClickAsync("button[value=approve]");
        await Assertions.Expect(page.GetByText("your decision is recorded")).ToBeVisibleAsync();

        var instance = await Poll.InstanceAsync(api, id);
        Assert.Equal("Finished", instance.GetProperty("subStatus").GetString());
        Assert.Equal("[\"oil\",\"brakes\"]", instance.GetProperty("name").GetString());

        // The same link again: used, no data.
        await page.GotoAsync(link);
        await Assertions.Expect(page.GetByText("This link has been used")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("input[name=line]").CountAsync());

        // A tampered link and, a day later, an unanswered one: the refusal page, no data.
        await page.GotoAsync(laterLink[..^4] + (laterLink[^4] == 'x' ? "y" : "x") + laterLink[^3..]);
        await Assertions.Expect(page.GetByText("This link is not valid")).ToBeVisibleAsync();
        host.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await page.GotoAsync(laterLink);
        await Assertions.Expect(page.GetByText("This link has expired")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("input[name=line]").CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsFolder, "estimate-link-expired.png") });
    }

    [Fact]
    public async Task Expired_tampered_and_foreign_links_are_refused_and_the_decision_is_recorded_with_its_evidence()
    {
        await using var host = new HostFactory(("a.json", Estimate("estimate-a", "Li Wei")), ("b.json", Estimate("estimate-b", "Zhao Min")));
        var web = host.CreateClient();
        web.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        await Poll.StartAsync(host.Api(), "estimate-a");
        var linkA = new Uri(await LinkAsync(host, "http://localhost")).PathAndQuery;
        await Poll.StartAsync(host.Api(), "estimate-b");
        var linkB = new Uri(await LinkAsync(host, "http://localhost", 1)).PathAndQuery;

        var pageA = await web.GetStringAsync(linkA);
        Assert.Contains("Li Wei", pageA, StringComparison.Ordinal);
        Assert.DoesNotContain("Zhao Min", pageA, StringComparison.Ordinal);
        Assert.Contains("Zhao Min", await web.GetStringAsync(linkB), StringComparison.Ordinal);

        var tampered = linkA[..^3] + (linkA[^3] == 'A' ? "B" : "A") + linkA[^2..];
        var refused = await web.GetAsync(tampered);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.Contains("This link is not valid", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("brake", refusal, StringComparison.OrdinalIgnoreCase);

        host.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var expired = await web.GetAsync(linkB);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("This link has expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("brake", await expired.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_advisor_records_a_phone_decision_a_reminder_goes_once_and_an_unanswered_estimate_times_out()
    {
        await using var host = new HostFactory(("a.json", Estimate("estimate-a", "Li Wei")), ("b.json", Estimate("estimate-b", "Zhao Min")));
        await host.AddStaffAsync("li", "advisor-pass-123", Roles.Advisor);
        var api = host.Api();
        var byPhone = await Poll.StartAsync(api, "estimate-a");
        var unanswered = await Poll.StartAsync(api, "estimate-b");
        var approvalId = (await host.RunStore.ListBookmarksAsync(byPhone, CancellationToken.None)).Select(b => b.Payload).First(p => p!.Contains("ApprovalId", StringComparison.Ordinal))!;
        approvalId = Regex.Match(approvalId, "\"ApprovalId\":\"([^\"]+)\"", RegexOptions.IgnoreCase).Groups[1].Value;

        var advisor = await host.SignedInAsync("li", "advisor-pass-123");
        Assert.Equal(HttpStatusCode.BadRequest, (await advisor.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { approvedLines = new[] { "oil", "nope" }, via = "phone" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await advisor.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { approvedLines = new[] { "oil", "brakes", "wipers" }, via = "phone" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await advisor.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { approvedLines = Array.Empty<string>(), via = "phone" })).StatusCode);
        Assert.Equal("all", (await Poll.InstanceAsync(api, byPhone)).GetProperty("name").GetString());
        var record = await host.Approvals.FindAsync(approvalId, CancellationToken.None);
        Assert.Equal(("li", "phone", "Approved"), (record!.DecidedBy, record.DecidedVia, record.Decision));

        var sweep = host.Services.GetRequiredService<TimerSweep>();
        host.Clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));
        await sweep.RunAsync(CancellationToken.None);
        await Poll.UntilAsync(() => host.Outbox.ListAsync(null, 20, CancellationToken.None), m => m.Count(o => o.Channel == Channels.Sms) == 3, what: "one reminder");
        // The link expires: an advisor calls, three times an hour apart, and nobody answers.
        host.Clock.Advance(TimeSpan.FromHours(20));
        await sweep.RunAsync(CancellationToken.None);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Equal("Suspended", await Poll.SubStatusAsync(api, unanswered));
            advisor = await host.SignedInAsync("li", "advisor-pass-123");
            var call = await Poll.UntilAsync(async () => (await advisor.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/tasks")).GetProperty("items").EnumerateArray().ToList(), l => l.Count == 1, what: $"call {attempt}");
            Assert.Equal(HttpStatusCode.NoContent, (await advisor.PostAsJsonAsync($"/api/tasks/{call[0].GetProperty("id").GetString()}/complete", new { action = "NotReached", values = new { } })).StatusCode);
            host.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(5)); // past the sweep's grace
            await sweep.RunAsync(CancellationToken.None);
        }
        await Poll.UntilAsync(() => Poll.SubStatusAsync(api, unanswered), s => s == "Finished", what: "the timeout");
        Assert.Equal("timed out", (await Poll.InstanceAsync(api, unanswered)).GetProperty("name").GetString());
        var sms = (await host.Outbox.ListAsync(null, 20, CancellationToken.None)).Where(o => o.Channel == Channels.Sms).ToList();
        Assert.Equal(3, sms.Count);
        Assert.Single(sms, o => MessagePayload.FromJson(o.Payload).Text.StartsWith("Followup: Hello Zhao Min, a reminder", StringComparison.Ordinal));
    }
}
