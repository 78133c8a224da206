using Microsoft.Playwright;

namespace Followup.Host.Tests;

/// <summary>Debian's Chromium, headless, driven by Playwright (no browser download); screenshots go to the test output's artifacts folder.</summary>
internal static class Browser
{
    public static string ArtifactsFolder
    {
        get
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "artifacts");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        const string chromium = "/usr/bin/chromium";
        if (!File.Exists(chromium))
            Assert.Fail("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }
}
