using Followup.Host.Security;
using Microsoft.Playwright;

namespace Followup.Host.Tests;

[Collection(HangfireCollection.Name)]
public sealed class DesignerBrowserTests
{
    [Fact]
    public async Task Explore()
    {
        await using var host = new HostFactory();
        host.Settings["Engine:DefinitionsPath"] = Path.Combine(AppContext.BaseDirectory, "workflows-json");
        var address = host.StartKestrel();
        await host.AddStaffAsync("wang", "manager-pass-123", Roles.Manager);
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
        var log = new List<string>();
        page.Console += (_, m) => log.Add("console: " + m.Text);
        page.RequestFailed += (_, r) => log.Add("failed: " + r.Url);
        page.Response += (_, r) => { if (r.Status >= 400) log.Add($"{r.Status}: {r.Url}"); };
        await page.GotoAsync(address + "/designer/");
        await page.FillAsync("input[name=UserName]", "wang");
        await page.FillAsync("input[name=Password]", "manager-pass-123");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForTimeoutAsync(15000);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsFolder, "list.png") });
        File.WriteAllText(Path.Combine(Browser.ArtifactsFolder, "list.html"), await page.ContentAsync());
        File.WriteAllLines(Path.Combine(Browser.ArtifactsFolder, "log.txt"), log);
    }
}
