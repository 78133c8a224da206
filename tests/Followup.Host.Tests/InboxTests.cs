using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Followup.Host.Scheduling;
using Followup.Host.Security;
using Followup.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

/// <summary>Human tasks: created by a running workflow, worked from the inbox, completing once, escalated when overdue.</summary>
public sealed class InboxTests
{
    private const string CheckInForm = """
        { "fields": [
            { "name": "Odometer", "label": { "zh-CN": "里程", "en": "Odometer" }, "type": "number", "required": true },
            { "name": "Fuel", "label": { "zh-CN": "油量", "en": "Fuel" }, "type": "choice", "options": ["Empty", "Half", "Full"], "required": true },
            { "name": "Damage", "label": { "zh-CN": "外观损伤", "en": "Damage notes" }, "type": "multiline" },
            { "name": "Photo", "label": { "zh-CN": "照片", "en": "Photo" }, "type": "photo" } ] }
        """;

    private static readonly string Reception = Workflow("reception",
        [Activity("start", "Elsa.Start"),
         Activity("checkin", "Followup.HumanTask", string.Join(",",
             Input("titleZhCn", "String", "接车检查 {{ Input.Plate }}"), Input("titleEn", "String", "Walk-around check {{ Input.Plate }}"),
             Input("language", "String", "en"), Input("form", "String", CheckInForm),
             Input("actions", "String[]", "[\"Done\",\"CustomerLeft\"]", "Object"),
             Input("assigneeRole", "String", "Advisor"), Input("dueIn", "TimeSpan", "00:15:00"), Input("escalateToRole", "String", "Manager"))),
         WriteLine("after", "Checked in"), WriteLine("left", "Customer left"), Activity("end", "Elsa.End")],
        [Connection("start", "checkin"), Connection("checkin", "after", "Done"), Connection("checkin", "left", "CustomerLeft"), Connection("after", "end")],
        extra: """ "inputs": [ { "type": "String", "name": "Plate" } ], """);

    [Fact]
    public void A_task_whose_workflow_leaves_out_the_roles_goes_to_advisors_and_escalates_to_managers()
    {
        using var services = new ServiceCollection().AddLogging()
            .AddFollowupWorkflows("Data Source=:memory:").AddActivitiesFrom(typeof(Followup.Activities.Tasks.HumanTask).Assembly)
            .BuildServiceProvider();
        var definition = services.GetRequiredService<Followup.Workflows.Definitions.WorkflowDefinitionReader>().Read(Workflow("bare-task",
            [Activity("task", "Followup.HumanTask", Input("titleEn", "String", "Check the car"))], []));

        var task = definition.Root.Activities.Single(n => n.Id == "task");
        string? Bound(string input) => ((Followup.Workflows.Abstractions.Input)task.Bindings[input]!).Expression?.Text;
        Assert.Equal(("Advisor", "Manager", "zh-CN"), (Bound("AssigneeRole"), Bound("EscalateToRole"), Bound("Language")));
    }

    private static async Task<HostFactory> NewHostAsync(Action<HostFactory>? beforeStart = null)
    {
        var host = new HostFactory(("reception.json", Reception));
        beforeStart?.Invoke(host);
        await host.AddStaffAsync("li", "advisor-pass-123", Roles.Advisor);
        await host.AddStaffAsync("zhang", "technician-pass-123", Roles.Technician);
        await host.AddStaffAsync("wang", "manager-pass-123", Roles.Manager);
        return host;
    }

    private static async Task<JsonElement> TasksAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/tasks")).GetProperty("items");

    [Fact]
    public async Task An_advisor_completes_a_task_in_the_browser_and_the_workflow_moves_on()
    {
        var address = "";
        await using var host = await NewHostAsync(h => address = h.StartKestrel());
        var api = host.Api();
        var started = await api.PostAsJsonAsync("/elsa/api/workflow-definitions/reception/execute",
            new { correlationId = "RO-3001", input = new Dictionary<string, string> { ["Plate"] = "沪A12345" } });
        var id = started.Headers.GetValues("x-elsa-workflow-instance-id").Single();

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 }, Locale = "en-US" });
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(address + "/inbox/?lang=en");
        await page.FillAsync("input[name=UserName]", "li");
        await page.FillAsync("input[name=Password]", "advisor-pass-123");
        await page.ClickAsync("button[type=submit]");

        await page.GetByText("Walk-around check 沪A12345").ClickAsync();
        await page.FillAsync("input[name=Odometer]", "not a number");
        await page.SelectOptionAsync("select[name=Fuel]", "Half");
        await page.ClickAsync("button[name=action][value=Done]");
        await Assertions.Expect(page.GetByText("Odometer must be a number.")).ToBeVisibleAsync();
        Assert.Equal("Suspended", await Poll.SubStatusAsync(api, id));

        await page.FillAsync("input[name=Odometer]", "48210");
        await page.SelectOptionAsync("select[name=Fuel]", "Half");
        await page.FillAsync("textarea[name=Damage]", "Scratch on the rear bumper");
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        await page.SetInputFilesAsync("input[name=Photo]", new FilePayload { Name = "bumper.png", MimeType = "image/png", Buffer = png });
        await page.ClickAsync("button[name=action][value=Done]");
        await Assertions.Expect(page.GetByText("Completed; the workflow has moved on.")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsFolder, "inbox-task-completed.png"), FullPage = true });

        Assert.Equal("Finished", await Poll.SubStatusAsync(api, id));
        var journal = await Poll.JournalAsync(api, id);
        Assert.Contains(journal, j => j.GetProperty("activityId").GetString() == "after" && j.GetProperty("eventName").GetString() == "Completed");
        Assert.DoesNotContain(journal, j => j.GetProperty("activityId").GetString() == "left");
        var task = await host.Tasks.ListOpenAsync("li", [Roles.Advisor], all: true, CancellationToken.None);
        Assert.Empty(task);

        // The photo was kept and is shown to signed-in staff.
        var done = (await host.Tasks.ListByCorrelationAsync("RO-3001", CancellationToken.None)).Single();
        var attachment = System.Text.RegularExpressions.Regex.Match(done.Result!, "attachment:([0-9a-f]+\\.png)").Groups[1].Value;
        var image = await page.APIRequest.GetAsync($"{address}/attachments/{attachment}");
        Assert.Equal(200, image.Status);
        Assert.Equal("image/png", image.Headers["content-type"]);
    }

    [Fact]
    public async Task A_long_inbox_shows_the_soonest_due_and_counts_the_rest()
    {
        await using var host = await NewHostAsync();
        var now = host.Clock.GetUtcNow().UtcDateTime;
        await using (var db = await host.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Followup.Activities.Data.DealershipDbContext>>().CreateDbContextAsync())
        {
            // 250 open calls, due an hour apart, entered in reverse; the last has no due time.
            for (var i = 250; i >= 1; i--)
            {
                db.HumanTasks.Add(new Followup.Activities.Tasks.HumanTaskRecord
                {
                    Id = $"t{i:D3}", InstanceId = $"i{i:D3}", ActivityId = "call", BookmarkId = $"b{i:D3}", Title = $"回访 {i:D3}", TitleOther = $"Call {i:D3}", Form = i == 1 ? CheckInForm : "{}",
                    AssigneeRole = Roles.Advisor, DueAt = i == 250 ? null : now.AddHours(i), CreatedAt = now,
                });
            }
            await db.SaveChangesAsync();
        }
        var li = await host.SignedInAsync("li", "advisor-pass-123");

        var page = System.Net.WebUtility.HtmlDecode(await li.GetStringAsync("/inbox/?lang=en"));
        Assert.Equal(100, System.Text.RegularExpressions.Regex.Matches(page, "data-task=").Count);
        Assert.Contains("Call 001", page, StringComparison.Ordinal);
        Assert.Contains("Call 100", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Call 101", page, StringComparison.Ordinal);
        Assert.Contains("150 more, due later; they show here as the ones above are done.", page, StringComparison.Ordinal);
        Assert.Contains("另有 150 项任务，截止时间更晚", System.Net.WebUtility.HtmlDecode(await li.GetStringAsync("/inbox/?lang=zh-CN")), StringComparison.Ordinal);
        Assert.Contains("150 more", System.Net.WebUtility.HtmlDecode(await li.GetStringAsync("/inbox/?partial=true&lang=en")), StringComparison.Ordinal);

        var first = await li.GetFromJsonAsync<JsonElement>("/api/tasks");
        Assert.Equal(250, first.GetProperty("total").GetInt32());
        Assert.Equal(200, first.GetProperty("items").GetArrayLength());
        // Each task carries its form as the JSON object it is kept as, for a client to draw.
        Assert.Equal(["Odometer", "Fuel"], first.GetProperty("items")[0].GetProperty("form").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()).Take(2));
        var all = await li.GetFromJsonAsync<JsonElement>("/api/tasks?take=1000");
        var titles = all.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList();
        Assert.Equal(Enumerable.Range(1, 250).Select(i => $"t{i:D3}"), titles); // soonest due first, the one without a due time last
        foreach (var bad in new[] { "0", "1001" })
        {
            var refused = await li.GetAsync($"/api/tasks?take={bad}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("Take between 1 and 1000 tasks.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // The technician sees none of the advisors' calls, and no count of them.
        var zhang = await host.SignedInAsync("zhang", "technician-pass-123");
        Assert.Equal(0, (await zhang.GetFromJsonAsync<JsonElement>("/api/tasks")).GetProperty("total").GetInt32());
        Assert.Contains("No open tasks.", await zhang.GetStringAsync("/inbox/?lang=en"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roles_see_only_their_tasks_a_task_completes_once_and_forms_need_the_antiforgery_token()
    {
        await using var host = await NewHostAsync();
        var id = await Poll.StartAsync(host.Api(), "reception", new Dictionary<string, string> { ["Plate"] = "京B7" });
        var advisor = await host.SignedInAsync("li", "advisor-pass-123");
        var technician = await host.SignedInAsync("zhang", "technician-pass-123");
        var taskId = (await TasksAsync(advisor)).EnumerateArray().Single().GetProperty("id").GetString()!;
        Assert.Empty((await TasksAsync(technician)).EnumerateArray());

        var values = new { action = "Done", values = new Dictionary<string, string> { ["Odometer"] = "1200", ["Fuel"] = "Full" } };
        Assert.Equal(HttpStatusCode.Forbidden, (await technician.PostAsJsonAsync($"/api/tasks/{taskId}/complete", values)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await technician.GetAsync($"/inbox/{taskId}")).StatusCode);
        var withoutToken = await host.SignedInAsync("li", "advisor-pass-123", sendAntiforgeryToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, (await withoutToken.PostAsync($"/inbox/{taskId}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "Done", ["Odometer"] = "1200", ["Fuel"] = "Full" }))).StatusCode);
        Assert.Equal("Suspended", await Poll.SubStatusAsync(host.Api(), id));

        var invalid = await advisor.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { action = "Done", values = new Dictionary<string, string> { ["Fuel"] = "Full" } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("Odometer", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await advisor.PostAsJsonAsync($"/api/tasks/{taskId}/complete", values)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await advisor.PostAsJsonAsync($"/api/tasks/{taskId}/complete", values with { action = "CustomerLeft" })).StatusCode);
        Assert.Equal("Finished", await Poll.SubStatusAsync(host.Api(), id));
        Assert.DoesNotContain(await Poll.JournalAsync(host.Api(), id), j => j.GetProperty("activityId").GetString() == "left");

        // The API is described in OpenAPI.
        var openApi = await host.Api().GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/tasks/{id}/complete", openApi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_visit_page_shows_who_the_visit_waits_on_and_its_timeline()
    {
        await using var host = await NewHostAsync();
        var started = await host.Api().PostAsJsonAsync("/elsa/api/workflow-definitions/reception/execute",
            new { correlationId = "RO-2077", input = new Dictionary<string, string> { ["Plate"] = "苏E5" } });
        started.EnsureSuccessStatusCode();
        var advisor = await host.SignedInAsync("li", "advisor-pass-123");
        var page = await advisor.GetStringAsync("/visits/RO-2077?lang=en");
        Assert.Contains("Walk-around check 苏E5</a> · Service advisor", page, StringComparison.Ordinal);
        Assert.Contains("Walk-around check 苏E5: for Service advisor", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Suspended", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await host.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/visits/RO-2077")).StatusCode);
    }

    [Fact]
    public async Task An_overdue_task_escalates_to_the_manager_on_the_fake_clock()
    {
        await using var host = await NewHostAsync();
        var id = await Poll.StartAsync(host.Api(), "reception", new Dictionary<string, string> { ["Plate"] = "粤C9" });
        var advisor = await host.SignedInAsync("li", "advisor-pass-123");
        var manager = await host.SignedInAsync("wang", "manager-pass-123");
        Assert.Single((await TasksAsync(advisor)).EnumerateArray());
        Assert.Empty((await TasksAsync(manager)).EnumerateArray());

        host.Clock.Advance(TimeSpan.FromMinutes(14));
        await host.Services.GetRequiredService<TimerSweep>().RunAsync(CancellationToken.None);
        Assert.Single((await TasksAsync(advisor)).EnumerateArray());

        host.Clock.Advance(TimeSpan.FromMinutes(2));
        await host.Services.GetRequiredService<TimerSweep>().RunAsync(CancellationToken.None);
        var escalated = await Poll.UntilAsync(() => TasksAsync(manager), t => t.GetArrayLength() == 1, what: "the escalation");
        Assert.Equal("Manager", escalated[0].GetProperty("assigneeRole").GetString());
        Assert.NotEqual(JsonValueKind.Null, escalated[0].GetProperty("escalatedAt").ValueKind);
        // The advisors keep it: the manager is alerted, the advisor at the counter can still finish it.
        Assert.Single((await TasksAsync(advisor)).EnumerateArray());
        Assert.Contains(await Poll.JournalAsync(host.Api(), id), j => j.GetProperty("eventName").GetString() == "Escalated");

        var taskId = escalated[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await manager.PostAsJsonAsync($"/api/tasks/{taskId}/complete",
            new { action = "CustomerLeft", values = new Dictionary<string, string> { ["Odometer"] = "0", ["Fuel"] = "Empty" } })).StatusCode);
        Assert.Equal("Finished", await Poll.SubStatusAsync(host.Api(), id));
        Assert.Contains(await Poll.JournalAsync(host.Api(), id), j => j.GetProperty("activityId").GetString() == "left");
    }
}
