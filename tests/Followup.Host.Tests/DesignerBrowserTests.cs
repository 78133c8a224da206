using System.Net.Http.Json;
using System.Text.Json;
using Followup.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Followup.Host.Tests;

/// <summary>The real Elsa Studio in Debian's headless Chromium against the host on a loopback port.</summary>
public sealed class DesignerBrowserTests
{
    [Fact]
    public async Task A_manager_moves_the_first_callback_call_in_the_designer_and_publishes_it_for_new_instances_only()
    {
        await using var desk = await ServiceDesk.OpenAsync(browser: true);
        var (host, address, api) = (desk.Host, desk.Address!, desk.Api);
        var first = await desk.VisitForAsync("Li Wei", 1);
        var before = await Poll.StartAsync(api, "satisfaction-callback", new Dictionary<string, string> { ["VisitId"] = first });

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(address + "/designer/");
        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);
        await page.FillAsync("input[name=UserName]", "liu");
        await page.FillAsync("input[name=Password]", "liu-pass-2026");
        await page.ClickAsync("button[type=submit]");

        // The list shows the shipped workflows; a row opens the editor.
        try
        {
            await page.GetByText("Satisfaction callback").ClickAsync(new() { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsFolder, "designer-list-failed.png"), FullPage = true });
            throw;
        }
        await page.WaitForURLAsync("**/designer/edit/satisfaction-callback");

        // The toolbox holds Followup's categories and activities.
        await page.GetByText("Messaging", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Send SMS", new() { Exact = true }).First).ToBeVisibleAsync();

        // Move the first call from day 2 to day 1 after delivery, then publish.
        await page.GetByText("Satisfaction callback (calls on days 2–3 after delivery, then an SMS survey)").ClickAsync();
        var day = page.Locator(".mud-input-control", new() { Has = page.Locator("legend", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^First call on day$") }) }).Locator("input").First;
        await day.FillAsync("1");
        await day.PressAsync("Tab");
        await Poll.UntilAsync(async () => FirstCallDay(await api.GetFromJsonAsync<JsonElement>("/elsa/api/workflow-definitions/by-definition-id/satisfaction-callback?versionOptions=Latest")),
            d => d == "1", TimeSpan.FromSeconds(30), "the designer's auto-save of the change");
        await page.Locator("button.mud-icon-button:has(path[d^='M19.35 10.04'])").ClickAsync();
        await Poll.UntilAsync(() => Poll.PublishedVersionAsync(api, "satisfaction-callback"),
            version => version == 2, TimeSpan.FromSeconds(30), "version 2 to be published");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsFolder, "designer-editor.png"), FullPage = true });

        // The main visit flow opens in the designer with Followup's service activities.
        await page.GotoAsync(address + "/designer/edit/service-visit");
        await page.WaitForURLAsync("**/designer/edit/service-visit");
        try
        {
            await Assertions.Expect(page.GetByText("4 Estimate approval").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        }
        finally
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsFolder, "designer-service-visit.png"), FullPage = true });
        }

        // Through the API: version 2 calls on day 1, new instances run it, the earlier instance keeps version 1.
        var published = await api.GetFromJsonAsync<JsonElement>("/elsa/api/workflow-definitions/by-definition-id/satisfaction-callback?versionOptions=Published");
        Assert.Equal("1", FirstCallDay(published));
        var after = await Poll.StartAsync(api, "satisfaction-callback", new Dictionary<string, string> { ["VisitId"] = await desk.VisitForAsync("Zhao Min", 2) });
        Assert.Equal(2, (await Poll.InstanceAsync(api, after)).GetProperty("version").GetInt32());
        Assert.Equal(1, (await Poll.InstanceAsync(api, before)).GetProperty("version").GetInt32());
        var store = host.Services.GetRequiredService<IWorkflowRunStore>();
        // Both cars were handed back at 17:00 in Shanghai on 2 March: the calls are when the store opens, 09:00 on the 3rd or the 4th.
        Assert.Equal(new DateTime(2026, 3, 3, 1, 0, 0, DateTimeKind.Utc), (await store.ListBookmarksAsync(after, CancellationToken.None)).Single(b => b.DueAt != null).DueAt!.Value);
        Assert.Equal(new DateTime(2026, 3, 4, 1, 0, 0, DateTimeKind.Utc), (await store.ListBookmarksAsync(before, CancellationToken.None)).Single(b => b.DueAt != null).DueAt!.Value);
    }

    /// <summary>The callback step's "first call on day" as the definition holds it.</summary>
    private static string? FirstCallDay(JsonElement definition) =>
        definition.GetProperty("root").GetProperty("activities").EnumerateArray().Single(a => a.GetProperty("id").GetString() == "callback")
            .TryGetProperty("firstCallDay", out var input) ? input.GetProperty("expression").GetProperty("value").ToString() : null;
}
