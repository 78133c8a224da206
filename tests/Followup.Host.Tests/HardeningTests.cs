using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Followup.Activities.Messaging;
using Followup.Host.Security;
using Followup.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

/// <summary>What an attacker, a careless client or a crash found wrong, each checked where a user would notice it.</summary>
public sealed partial class HardeningTests
{
    [GeneratedRegex(@"/c/(book/)?[A-Za-z0-9_\-]{20,}|/s/[A-Za-z0-9]{8}")]
    private static partial Regex TokenRegex();

    /// <summary>A visit whose estimate went to the customer by SMS (the link in it), opened for a customer named <paramref name="name"/>.</summary>
    private static async Task<(string Id, string Number)> EstimateSentAsync(ServiceDesk desk, string name, int serial)
    {
        var (_, vehicleId) = await desk.CustomerAsync(name, $"+86 139 0000 {serial:D4}", null, "en", serial, 10000, $"沪B{serial:D5}");
        var visit = await desk.WalkInAsync(vehicleId);
        await desk.CheckInAsync(visit.Number, "Noise from the front", "OIL");
        await desk.SentAsync(Channels.Sms, "your service estimate is ready", visit.Number);
        return visit;
    }

    [Fact]
    public async Task A_technician_sees_the_car_and_the_work_but_no_phone_number_message_or_link_and_no_staff_member_sees_a_customer_link()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, number) = await EstimateSentAsync(desk, "Zhou Min", 11);

        // Pages are read as a browser shows them (a '+' may be written as a character reference).
        var technicianPage = WebUtility.HtmlDecode(await (await desk.StaffAsync("zhang")).GetStringAsync($"/visits/{number}?lang=en"));
        Assert.Contains("沪B00011", technicianPage, StringComparison.Ordinal);
        Assert.DoesNotContain("+86139", technicianPage.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("+8613900000011", technicianPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Messages sent", technicianPage, StringComparison.Ordinal);
        Assert.DoesNotContain("service estimate is ready", technicianPage, StringComparison.Ordinal);
        Assert.DoesNotMatch(TokenRegex(), technicianPage);

        var advisorPage = WebUtility.HtmlDecode(await (await desk.StaffAsync("wang")).GetStringAsync($"/visits/{number}?lang=en"));
        Assert.Contains("+8613900000011", advisorPage, StringComparison.Ordinal);
        Assert.Contains("your service estimate is ready. Please review and approve it: [customer link]", advisorPage, StringComparison.Ordinal);
        Assert.Contains("not opened", advisorPage, StringComparison.Ordinal);
        Assert.DoesNotMatch(TokenRegex(), advisorPage);
        Assert.DoesNotMatch(TokenRegex(), await (await desk.StaffAsync("liu")).GetStringAsync("/messages"));
        Assert.DoesNotMatch(TokenRegex(), await desk.Api.GetStringAsync("/api/messages"));

        // The customer opens the link: staff see that, and still not the link.
        var sms = await desk.SentAsync(Channels.Sms, "your service estimate is ready", number);
        var link = await ShortLink.PathAsync(desk.Host.NoRedirectClient(), ServiceDesk.Text(sms));
        Assert.Equal(HttpStatusCode.OK, (await desk.Host.CreateClient().GetAsync(link)).StatusCode);
        advisorPage = WebUtility.HtmlDecode(await (await desk.StaffAsync("wang")).GetStringAsync($"/visits/{number}?lang=en"));
        Assert.Contains("opened 03-02 17:00", advisorPage, StringComparison.Ordinal);

        // The advisor sends the link again: a new SMS with a working link, and the first one still works.
        var wang = await desk.StaffAsync("wang");
        var approvalId = Regex.Match(advisorPage, "data-approval=\"([^\"]+)\"").Groups[1].Value;
        var resend = await wang.PostAsync($"/visits/{number}/approvals/{approvalId}/resend", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.Redirect, resend.StatusCode);
        var again = await desk.SentAsync(Channels.Sms, "here is the link to review your service estimate again", number);
        var secondLink = await ShortLink.PathAsync(desk.Host.NoRedirectClient(), ServiceDesk.Text(again));
        Assert.Equal(HttpStatusCode.OK, (await desk.Host.CreateClient().GetAsync(secondLink)).StatusCode);
        var refused = await (await desk.StaffAsync("zhang")).PostAsync($"/visits/{number}/approvals/{approvalId}/resend", new FormUrlEncodedContent([]));
        Assert.Contains("/account/denied", refused.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Broken {{ 7*7 }}")]
    [InlineData("{{ Variables.Visit.Phone }}")]
    [InlineData("{% for i in (1..99999999) %}x{% endfor %}")]
    public async Task A_customer_name_that_looks_like_a_template_is_shown_as_written_and_the_visit_runs_on(string name)
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, vehicleId) = await desk.CustomerAsync(name, "+86 139 0000 0021", null, "en", 21, 10000, "沪B00021");
        var (_, number) = await desk.WalkInAsync(vehicleId);

        var reception = await desk.TaskAsync("wang", number, "reception");
        var title = reception.GetProperty("title").GetString()!;
        Assert.Contains(name, title, StringComparison.Ordinal);
        Assert.DoesNotContain("+8613900000021", title, StringComparison.Ordinal);
        Assert.DoesNotContain("49", title.Replace(name, "", StringComparison.Ordinal), StringComparison.Ordinal);
        await desk.CheckInAsync(number, "Noise", "OIL");
        var sms = await desk.SentAsync(Channels.Sms, "your service estimate is ready", number);
        Assert.StartsWith($"Pudong VW: Hello {name},", ServiceDesk.Text(sms), StringComparison.Ordinal);
        Assert.DoesNotContain("Faulted", await desk.InstancesAsync(number), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_requests_get_a_4xx_problem_not_a_server_error()
    {
        await using var desk = await ServiceDesk.OpenAsync(h => h.Settings["Demo:Seed"] = "false");
        var wang = await desk.StaffAsync("wang");
        var (_, vehicleId) = await desk.CustomerAsync("Form Tester", "+86 139 0000 0032", null, "en", 32, 10000, "沪B00032");
        var walkIn = await desk.WalkInAsync(vehicleId);
        var taskId = (await desk.TaskAsync("wang", walkIn.Number, "reception")).GetProperty("id").GetString();
        var (_, number) = await EstimateSentAsync(desk, "Link Tester", 31);

        // A POST without a form to a form page.
        var json = await wang.PostAsync($"/inbox/{taskId}", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        var sms = await desk.SentAsync(Channels.Sms, "your service estimate is ready", number);
        var link = await ShortLink.PathAsync(desk.Host.NoRedirectClient(), ServiceDesk.Text(sms));
        var phone = desk.Host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        var page = await phone.GetStringAsync(link);
        var customerJson = new HttpRequestMessage(HttpMethod.Post, link) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        customerJson.Headers.Add(HttpSecurity.AntiforgeryHeader, HostFactory.AntiforgeryToken(page));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await phone.SendAsync(customerJson)).StatusCode);

        // 40 MB of multipart.
        using var big = new MultipartFormDataContent { { new ByteArrayContent(new byte[40 * 1024 * 1024]), "Photo", "big.jpg" } };
        var tooBig = await wang.PostAsync("/api/attachments", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);

        // JSON that does not bind.
        var broken = await desk.Api.PostAsync("/api/visits", new StringContent("{ \"vehicleId\": 12, ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal("application/problem+json", broken.Content.Headers.ContentType?.MediaType);
        var wrongType = await desk.Api.PostAsync("/api/visits", new StringContent("{ \"promisedAt\": \"soon\" }", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
    }

    [Fact]
    public async Task Json_binding_errors_in_Development_are_problems_too()
    {
        await using var host = new HostFactory { Environment = "Development" };
        host.Settings["Demo:Seed"] = "false";
        var broken = await host.Api().PostAsync("/api/customers", new StringContent("{ \"name\": [1, 2] }", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal("application/problem+json", broken.Content.Headers.ContentType?.MediaType);
        var notJson = await host.Api().PostAsync("/api/customers", new StringContent("name=x", Encoding.UTF8, "text/plain"));
        Assert.True((int)notJson.StatusCode is >= 400 and < 500, $"{notJson.StatusCode}");
    }

    private static string Definition(string definitionId, string activities, string connections) => $$"""
        { "definitionId": {{JsonSerializer.Serialize(definitionId)}}, "name": "Broken", "root": { "id": "flow1", "type": "Elsa.Flowchart", "version": 1,
          "activities": [ {{activities}} ], "connections": [ {{connections}} ] } }
        """;

    [Theory]
    [InlineData("dup", """{ "id": "a", "type": "Elsa.WriteLine", "version": 1 }, { "id": "a", "type": "Elsa.WriteLine", "version": 1 }""", "", "two activities have the id 'a'")]
    [InlineData("dangling", """{ "id": "a", "type": "Elsa.WriteLine", "version": 1 }""", """{ "source": { "activity": "a", "port": "Done" }, "target": { "activity": "ghost", "port": "In" } }""", "target 'ghost'")]
    [InlineData("noid", """{ "type": "Elsa.WriteLine", "version": 1 }""", "", "has no id")]
    [InlineData("notype", """{ "id": "a", "version": 1 }""", "", "has no type")]
    [InlineData("../../../etc/passwd", """{ "id": "a", "type": "Elsa.WriteLine", "version": 1 }""", "", "is not allowed")]
    [InlineData("badcron", """{ "id": "a", "type": "Elsa.Cron", "version": 1, "customProperties": { "canStartWorkflow": true }, "cronExpression": { "typeName": "String", "expression": { "type": "Literal", "value": "every day at noon" } } }""", "", "cron")]
    [InlineData("coaching", """{ "id": "survey", "type": "Followup.SatisfactionCallback", "version": 1, "mode": { "typeName": "String", "expression": { "type": "Literal", "value": "sms" } }, "surveyZhCn": { "typeName": "String", "expression": { "type": "Literal", "value": "{{ Name }}您好，回访时请给非常满意，谢谢！" } } }""", "", "asks the customer for a particular score")]
    [InlineData("coaching-en", """{ "id": "ask", "type": "Followup.SendSms", "version": 1, "textEn": { "typeName": "String", "expression": { "type": "Liquid", "value": "When our survey calls, please answer 10!" } } }""", "", "answer 10")]
    public async Task Publishing_a_broken_definition_through_the_Elsa_api_is_refused_with_its_errors_and_stores_nothing(string definitionId, string activities, string connections, string error)
    {
        await using var host = new HostFactory();
        var api = host.Api();
        var response = await api.PostAsync("/elsa/api/workflow-definitions", new StringContent(
            $$"""{ "model": {{Definition(definitionId, activities, connections)}}, "publish": true }""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(error, body, StringComparison.OrdinalIgnoreCase);
        var list = await api.GetStringAsync("/elsa/api/workflow-definitions?versionOptions=AllVersions");
        Assert.DoesNotContain("Broken", list, StringComparison.Ordinal);
    }

    private static readonly string Reception = Workflow("photo-task",
        [Activity("task", "Followup.HumanTask", string.Join(",",
            Input("titleEn", "String", "Damage photos"), Input("language", "String", "en"),
            Input("form", "String", """{ "fields": [ { "name": "Photo", "label": { "en": "Photo" }, "type": "photo" }, { "name": "Notes", "label": { "en": "Notes" }, "type": "text", "required": true } ] }"""),
            Input("assigneeRole", "String", "Advisor")))],
        []);

    [Fact]
    public async Task A_photo_must_decode_as_an_image_and_a_refused_form_leaves_no_file_behind()
    {
        await using var host = new HostFactory(("photo.json", Reception));
        await host.AddStaffAsync("li", "advisor-pass-123", Roles.Advisor);
        await Poll.StartAsync(host.Api(), "photo-task");
        var advisor = await host.SignedInAsync("li", "advisor-pass-123");
        var task = (await advisor.GetFromJsonAsync<JsonElement>("/api/tasks")).GetProperty("items")[0].GetProperty("id").GetString();
        var folder = Path.Combine(host.Folder, "attachments");
        int Files() => Directory.Exists(folder) ? Directory.GetFiles(folder).Length : 0;

        // HTML that starts like a JPEG is refused.
        var html = Encoding.UTF8.GetBytes("<html><script>alert(document.cookie)</script></html>");
        var fake = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }.Concat(html).ToArray();
        var upload = await advisor.PostAsync("/api/attachments", new MultipartFormDataContent { { new ByteArrayContent(fake), "file", "photo.jpg" } });
        Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
        Assert.Equal(0, Files());

        // A real photo on a form refused for a missing field is not kept.
        var jpeg = Jpeg();
        var refused = await advisor.PostAsync($"/inbox/{task}", new MultipartFormDataContent
        {
            { new StringContent("Done"), "action" },
            { new ByteArrayContent(jpeg), "Photo", "photo.jpg" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(0, Files());

        var done = await advisor.PostAsync($"/inbox/{task}", new MultipartFormDataContent
        {
            { new StringContent("Done"), "action" },
            { new StringContent("Scratch on the door"), "Notes" },
            { new ByteArrayContent(jpeg), "Photo", "photo.jpg" },
        });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(1, Files());
    }

    /// <summary>A small real JPEG, drawn and encoded here.</summary>
    private static byte[] Jpeg()
    {
        using var bitmap = new SkiaSharp.SKBitmap(32, 24);
        bitmap.Erase(SkiaSharp.SKColors.SteelBlue);
        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 80);
        return data.ToArray();
    }

    [Fact]
    public async Task A_retried_create_with_its_idempotency_key_creates_one_visit_and_gets_the_same_answer()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, vehicleId) = await desk.CustomerAsync("Retry Wang", "+86 139 0000 0041", null, "en", 41, 10000, "沪B00041");

        async Task<HttpResponseMessage> PostAsync(object body, string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/visits") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await desk.Api.SendAsync(request);
        }

        var first = await PostAsync(new { vehicleId }, "dms-visit-7781");
        var retried = await PostAsync(new { vehicleId }, "dms-visit-7781");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(first.Headers.Location, retried.Headers.Location);
        var number = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString();
        Assert.Equal(number, (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString());
        var (instances, _) = await desk.Host.Queries.QueryInstancesAsync(new InstanceQuery { DefinitionId = "service-visit" }, CancellationToken.None);
        Assert.Single(instances);

        var other = await PostAsync(new { vehicleId, advisor = "li" }, "dms-visit-7781");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(new { vehicleId }, new string('k', 300))).StatusCode);

        // The same key at the same moment from eight callers: one visit.
        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(new { vehicleId }, "dms-visit-9000")));
        Assert.All(racing, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(racing.Select(r => r.Headers.Location).Distinct());
        (instances, _) = await desk.Host.Queries.QueryInstancesAsync(new InstanceQuery { DefinitionId = "service-visit" }, CancellationToken.None);
        Assert.Equal(2, instances.Count);
    }

    [Fact]
    public async Task Visits_opened_at_the_same_moment_get_consecutive_numbers_without_a_failed_write()
    {
        var log = new CapturedLog(Microsoft.Extensions.Logging.LogLevel.Error);
        await using var desk = await ServiceDesk.OpenAsync(h => h.TestServices = s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(log));
        var (_, vehicleId) = await desk.CustomerAsync("Busy Desk", "+86 139 0000 0051", null, "en", 51, 10000, "沪B00051");
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => desk.Api.PostAsJsonAsync("/api/visits", new { vehicleId })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var numbers = new List<string>();
        foreach (var r in responses)
            numbers.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString()!);
        Assert.Equal(Enumerable.Range(1, 16).Select(i => $"RO-2026-{i:D6}"), numbers.Order(StringComparer.Ordinal));
        Assert.Empty(log.Messages);
    }

    [Fact]
    public async Task Opening_a_visit_reads_the_years_visits_only_to_start_the_years_series()
    {
        // Each visit opened used to read every visit of the year for the highest number: a store's thousandth visit of
        // the year cost a thousand rows, its fifty-thousandth fifty thousand.
        const string Commands = "Microsoft.EntityFrameworkCore.Database.Command";
        var log = new CapturedLog(LogLevel.Information);
        await using var desk = await ServiceDesk.OpenAsync(h => h.TestServices = s => s
            .AddSingleton<ILoggerProvider>(log)
            .AddLogging(b => b.AddFilter<CapturedLog>(Commands, LogLevel.Information)));
        var (_, vehicleId) = await desk.CustomerAsync("Long History", "+86 139 0000 0052", null, "en", 52, 10000, "沪B00052");
        int ReadsOfTheYearsNumbers() => log.Messages.Count(m => m.StartsWith(Commands, StringComparison.Ordinal) && m.Contains("FROM \"Visits\" WHERE \"Number\" LIKE", StringComparison.Ordinal));

        async Task<string> OpenAsync()
        {
            var opened = await desk.Api.PostAsJsonAsync("/api/visits", new { vehicleId });
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
            return (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString()!;
        }

        var numbers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            numbers.Add(await OpenAsync());
            // The year's first visit starts the series; the later ones advance it alone.
            Assert.Equal(1, ReadsOfTheYearsNumbers());
        }
        Assert.Equal(["RO-2026-000001", "RO-2026-000002", "RO-2026-000003"], numbers);

        // A series lost (a store restored from before it was kept) starts again after the year's highest number.
        var factory = desk.Host.Services.GetRequiredService<IDbContextFactory<Followup.Activities.Data.DealershipDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"NumberSeries\"");
        Assert.Equal("RO-2026-000004", await OpenAsync());
        Assert.Equal(2, ReadsOfTheYearsNumbers());

        // A new year starts its own series at 1.
        desk.Host.Clock.SetUtcNow(new DateTimeOffset(desk.Host.Clock.GetUtcNow().Year + 1, 1, 2, 1, 0, 0, TimeSpan.Zero));
        Assert.Equal([$"RO-{desk.Host.Clock.GetUtcNow().Year}-000001", $"RO-{desk.Host.Clock.GetUtcNow().Year}-000002"], [await OpenAsync(), await OpenAsync()]);
        Assert.Equal(3, ReadsOfTheYearsNumbers());
    }

    /// <summary>
    /// Settings are read and checked once, at the start; the host does not watch its settings files, a watcher that
    /// follows everything under the content root and woke on every write of a store kept there.
    /// </summary>
    [Fact]
    public async Task The_host_reads_its_settings_files_once_and_does_not_watch_its_folder()
    {
        await using var host = new HostFactory();
        var settings = (Microsoft.Extensions.Configuration.IConfigurationRoot)host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        var files = settings.Providers.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationProvider>().ToList();
        Assert.Contains(files, f => f.Source.Path == "appsettings.json");
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, $"{f.Source.Path} is watched"));
    }

    [Fact]
    public async Task A_booking_link_books_once()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, vehicleId) = await desk.CustomerAsync("Book Once", "+86 139 0000 0061", null, "en", 61, 10000, "沪B00061");
        var link = new Uri(desk.Host.Services.GetRequiredService<Followup.Activities.Approvals.ICustomerLinks>().BookingLinkFor(vehicleId)).PathAndQuery;
        var phone = desk.Host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        var page = await phone.GetStringAsync(link);
        var slot = Regex.Match(page, "name=\"slot\" value=\"([^\"]+)\"").Groups[1].Value;
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = HostFactory.AntiforgeryToken(page), ["slot"] = slot };
        Assert.Equal(HttpStatusCode.OK, (await phone.PostAsync(link, new FormUrlEncodedContent(form))).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await phone.PostAsync(link, new FormUrlEncodedContent(form))).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await phone.GetAsync(link)).StatusCode);
        var appointments = await desk.Api.GetFromJsonAsync<JsonElement>("/api/appointments?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z");
        Assert.Single(appointments.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_cycle_started_through_the_api_faults_with_an_incident_instead_of_running_without_end()
    {
        var cycle = Workflow("runaway", [WriteLine("a", "A"), WriteLine("b", "B")], [Connection("a", "b"), Connection("b", "a")]);
        await using var host = new HostFactory(("runaway.json", cycle));
        host.Settings["Engine:MaxActivityExecutionsPerBurst"] = "5000";
        var response = await host.Api().PostAsJsonAsync("/elsa/api/workflow-definitions/runaway/execute", new { });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var state = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("workflowState");
        Assert.Equal("Faulted", state.GetProperty("subStatus").GetString());
        Assert.Contains("without waiting", state.GetProperty("incidents")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>Decisions a database made before they committed with their workflow may hold: completed or answered, with the workflow still waiting.</summary>
public sealed class StrandedDecisionTests
{
    private static readonly string Flow = Workflow("stranded",
        [Activity("task", "Followup.HumanTask", string.Join(",", Input("titleEn", "String", "Greet"), Input("language", "String", "en"), Input("assigneeRole", "String", "Advisor"))),
         Activity("approval", "Followup.EstimateApproval", string.Join(",",
             Input("customerName", "String", "Li Wei"), Input("phone", "String", "13800138000"), Input("language", "String", "en"),
             Input("lines", "String", """[{ "id": "OIL", "description": "Oil change", "labour": 100, "parts": 200 }]"""))),
         WriteLine("approved", "approved"), WriteLine("declined", "declined")],
        [Connection("task", "approval"), Connection("approval", "approved", "Approved"), Connection("approval", "declined", "Declined")]);

    private static async Task ExecuteAsync(HostFactory host, string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(host.Folder, "followup.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task A_completed_task_and_an_answered_approval_whose_workflow_never_moved_on_are_resumed_at_start()
    {
        await using var host = new HostFactory(("stranded.json", Flow));
        var api = host.Api();
        var id = await Poll.StartAsync(api, "stranded");
        var task = Assert.Single(await host.Tasks.ListOpenAsync("anyone", ["Advisor"], all: true, CancellationToken.None), t => t.InstanceId == id);

        // The old way: the task marked completed in a transaction of its own, and then the process died.
        await ExecuteAsync(host, $"UPDATE HumanTasks SET Status = 'Completed', Outcome = 'Done', Result = '{{}}', CompletedBy = 'li' WHERE Id = '{task.Id}'");
        await host.Services.GetRequiredService<Followup.Activities.Tasks.StrandedDecisions>().ResumeAsync(CancellationToken.None);
        var approval = Assert.Single(await ApprovalsOfAsync(host, id));
        Assert.Equal("Suspended", await Poll.SubStatusAsync(api, id));

        await ExecuteAsync(host, $"UPDATE Approvals SET Status = 'Answered', Decision = 'Approved', ApprovedLines = '[\"OIL\"]', DecidedBy = 'customer', DecidedVia = 'link' WHERE Id = '{approval.Id}'");
        await host.Services.GetRequiredService<Followup.Activities.Tasks.StrandedDecisions>().ResumeAsync(CancellationToken.None);

        Assert.Equal("Finished", await Poll.SubStatusAsync(api, id));
        var journal = await Poll.JournalAsync(api, id);
        Assert.Single(journal, j => j.GetProperty("activityId").GetString() == "approved" && j.GetProperty("eventName").GetString() == "Completed");
        Assert.DoesNotContain(journal, j => j.GetProperty("activityId").GetString() == "declined");
    }

    private static async Task<List<Followup.Activities.Approvals.ApprovalRecord>> ApprovalsOfAsync(HostFactory host, string instanceId)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<Followup.Activities.Data.DealershipDbContext>>().CreateDbContextAsync();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Approvals.Where(a => a.InstanceId == instanceId));
    }
}

public sealed class KeyRingTests
{
    [Fact]
    public async Task With_a_certificate_configured_the_key_ring_in_the_database_is_encrypted_and_still_signs_in()
    {
        await using var host = new HostFactory();
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=followup-keys", rsa,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(host.Folder, "keys.pfx");
        await File.WriteAllBytesAsync(path, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "pfx-pass"));
        host.Settings["DataProtection:CertificatePath"] = path;
        host.Settings["DataProtection:CertificatePassword"] = "pfx-pass";
        await host.AddStaffAsync("li", "advisor-pass-123", Roles.Advisor);
        var advisor = await host.SignedInAsync("li", "advisor-pass-123");
        Assert.Equal(HttpStatusCode.OK, (await advisor.GetAsync("/inbox/")).StatusCode);

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(host.Folder, "followup.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Xml FROM DataProtectionKeys";
        var xml = (string)(await command.ExecuteScalarAsync())!;
        Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
    }
}
