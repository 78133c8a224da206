using System.Net.Http.Json;
using Followup.Host.Security;
using Microsoft.Playwright;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

/// <summary>A manager makes a new workflow in the real Elsa Studio, runs it and sees the run; a run that faulted shows why.</summary>
public sealed class DesignerRunBrowserTests
{
    [Fact]
    public async Task A_manager_creates_publishes_and_runs_a_workflow_then_sees_the_run_and_a_faulted_runs_incident()
    {
        // A workflow that calls a parts system nobody answers: its run faults with an incident that says so.
        var parts = Workflow("parts-check",
            [Activity("ask", "Elsa.SendHttpRequest", Input("url", "String", "http://127.0.0.1:9/parts") + "," + Input("method", "String", "GET"))], []);
        await using var host = new HostFactory(("parts-check.json", parts));
        var address = host.StartKestrel();
        await host.AddStaffAsync("liu", "liu-pass-2026", Roles.Manager);
        var faulted = await host.Api().PostAsJsonAsync("/elsa/api/workflow-definitions/parts-check/execute", new { });
        var faultedId = faulted.Headers.GetValues("x-elsa-workflow-instance-id").Single();

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(address + "/account/login?lang=en");
        await page.FillAsync("input[name=UserName]", "liu");
        await page.FillAsync("input[name=Password]", "liu-pass-2026");
        await page.ClickAsync("button[type=submit]");
        try
        {
            // Create: the list's "Create workflow" asks for a name and opens the editor.
            await page.GotoAsync(address + "/designer/");
            await page.GetByText("Create workflow").First.ClickAsync();
            var name = page.GetByLabel("Name").First;
            await name.FillAsync("Tyre check");
            await page.Locator(".mud-dialog-actions button").Last.ClickAsync();
            await page.WaitForURLAsync("**/designer/edit/**");
            var definitionId = page.Url[(page.Url.LastIndexOf('/') + 1)..];

            // Add two activities from the toolbox onto the canvas.
            var canvas = page.Locator(".x6-graph-svg, .x6-graph").First;
            await canvas.WaitForAsync();
            foreach (var (category, activity, y) in new[] { ("Console", "Write Line", 200), ("Primitives", "Set Name", 400) })
            {
                var group = page.GetByText(category, new() { Exact = true }).First;
                if (!await page.GetByText(activity, new() { Exact = true }).First.IsVisibleAsync())
                    await group.ClickAsync();
                await page.GetByText(activity, new() { Exact = true }).First.DragToAsync(canvas, new() { TargetPosition = new() { X = 500, Y = y } });
            }
            await Poll.UntilAsync(async () => await host.Api().GetFromJsonAsync<System.Text.Json.JsonElement>($"/elsa/api/workflow-definitions/by-definition-id/{definitionId}?versionOptions=Latest"),
                d => d.GetProperty("root").GetProperty("activities").GetArrayLength() == 2, TimeSpan.FromSeconds(30), "the designer's auto-save of both activities");

            // Publish, then run: the run's page shows it finished.
            await page.Locator("button.mud-icon-button:has(path[d^='M19.35 10.04'])").ClickAsync();
            await Poll.UntilAsync(() => Poll.PublishedVersionAsync(host.Api(), definitionId),
                version => version >= 1, TimeSpan.FromSeconds(30), "the new workflow to be published");
            await page.Locator("button.mud-icon-button:has(path[d^='M8 5v14l11-7z'])").First.ClickAsync();
            await page.WaitForURLAsync("**/designer/instances/**");
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Tyre check");
            await Assertions.Expect(page.Locator("dd[data-state]")).ToHaveTextAsync("Finished");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsFolder, "designer-run.png"), FullPage = true });

            // The list of runs holds the faulted one; its page says why, and offers a retry.
            await page.GotoAsync(address + "/designer/instances?state=faulted");
            await page.GetByRole(AriaRole.Link, new() { Name = "parts-check" }).ClickAsync();
            await page.WaitForURLAsync($"**/designer/instances/{faultedId}");
            await Assertions.Expect(page.Locator("dd[data-state]")).ToHaveTextAsync("Faulted (1 incident)");
            await Assertions.Expect(page.Locator("td.incident")).ToContainTextAsync("GET http://127.0.0.1:9/parts got no response");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsFolder, "designer-faulted-run.png"), FullPage = true });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsFolder, "designer-run-failed.png"), FullPage = true });
            throw;
        }
    }
}
