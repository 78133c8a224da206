using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Followup.Activities.Messaging;
using Followup.Host.Messaging;
using Followup.Host.Scheduling;
using Followup.Host.Security;
using Followup.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Followup.Host.Tests;

/// <summary>
/// A dealership for the process tests: the host with the shipped workflows on a real SQLite file and a fake clock,
/// Twilio's SDK talking to WireMock, MailKit to netDumbster, and staff signed in as a browser would be.
/// </summary>
internal sealed partial class ServiceDesk : IAsyncDisposable
{
    public const string AccountSid = "AC00000000000000000000000000000002";
    public const string TwilioFrom = "+15005550006";
    public static string MessagesPath => $"/2010-04-01/Accounts/{AccountSid}/Messages.json";

    private readonly WireMockServer _twilio = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    private readonly netDumbster.smtp.SimpleSmtpServer _smtp = netDumbster.smtp.SimpleSmtpServer.Start();
    private readonly Dictionary<string, HttpClient> _staff = [];

    private ServiceDesk(HostFactory host) => Host = host;

    public HostFactory Host { get; }
    public HttpClient Api { get; private set; } = null!;
    public WireMockServer Twilio => _twilio;
    public netDumbster.smtp.SimpleSmtpServer Smtp => _smtp;

    /// <summary>The host's address when it was opened for a browser (on a loopback port).</summary>
    public string? Address { get; private set; }

    public static async Task<ServiceDesk> OpenAsync(Action<HostFactory>? configure = null, bool browser = false)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "workflows-json");
        var host = new HostFactory([.. Directory.GetFiles(folder, "*.json").Select(f => (Path.GetFileName(f), File.ReadAllText(f)))]);
        var desk = new ServiceDesk(host);
        desk._twilio.Given(Request.Create().WithPath(MessagesPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithBody("""{ "sid": "SM00000000000000000000000000000077", "status": "queued" }"""));
        host.Settings["Twilio:AccountSid"] = AccountSid;
        host.Settings["Twilio:AuthToken"] = "process-test-token";
        host.Settings["Twilio:From"] = TwilioFrom;
        host.Settings["Twilio:ApiBaseUrlOverride"] = desk._twilio.Url;
        host.Settings["Smtp:Host"] = "127.0.0.1";
        host.Settings["Smtp:Port"] = desk._smtp.Configuration.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        host.Settings["Smtp:Security"] = "None";
        host.Settings["Smtp:From"] = "Followup Service <service@dealer.example>";
        (host.Settings["Messaging:QuietHoursStart"], host.Settings["Messaging:QuietHoursEnd"]) = ("00:00", "00:00");
        host.Settings["Hangfire:SweepGrace"] = "00:00:00";
        (host.Settings["Store:Name"], host.Settings["Store:NameEn"]) = ("浦东大众4S店", "Pudong VW");
        configure?.Invoke(host);
        if (browser)
            desk.Address = host.StartKestrel();
        desk.Api = host.Api();
        foreach (var (user, role) in new[] { ("wang", Roles.Advisor), ("zhang", Roles.Technician), ("chen", Roles.CallbackAgent), ("liu", Roles.Manager), ("technician", Roles.Technician), ("zhou", Roles.Technician), ("lead", Roles.TechnicalLead) })
            await host.AddStaffAsync(user, $"{user}-pass-2026", role);
        return desk;
    }

    /// <summary>A staff member signed in now (sign-ins expire as the fake clock moves on).</summary>
    public async Task<HttpClient> StaffAsync(string user)
    {
        if (!_staff.TryGetValue(user, out var client))
            _staff[user] = client = await Host.SignedInAsync(user, $"{user}-pass-2026");
        return client;
    }

    /// <summary>A VIN with a correct check digit, from a serial number.</summary>
    public static string Vin(int serial) => Followup.Activities.Data.Vin.WithCheckDigit($"LSVAU2180N{serial:D7}");

    public async Task<(string CustomerId, string VehicleId)> CustomerAsync(string name, string phone, string? email, string language, int serial, int odometer, string plate)
    {
        var customer = await Api.PostAsJsonAsync("/api/customers", new { name, phone, email, language, smsConsent = true, emailConsent = email != null, marketingConsent = true });
        Assert.Equal(HttpStatusCode.Created, customer.StatusCode);
        var customerId = (await customer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var vehicle = await Api.PostAsJsonAsync("/api/vehicles", new { customerId, vin = Vin(serial), plate, model = "Lavida", year = 2022, odometer });
        Assert.Equal(HttpStatusCode.Created, vehicle.StatusCode);
        return (customerId, (await vehicle.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
    }

    /// <summary>A customer with a car that has just been handed back: a visit opened for it; returns the visit's id.</summary>
    public async Task<string> VisitForAsync(string name, int serial)
    {
        var (_, vehicleId) = await CustomerAsync(name, $"+86 139 0000 {serial:D4}", null, "en", serial, 10000, $"沪B{serial:D5}");
        var visit = await Api.PostAsJsonAsync("/api/visits", new { vehicleId });
        Assert.Equal(HttpStatusCode.Created, visit.StatusCode);
        return (await visit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Waits for the open task of a step of a visit (by the workflow's activity id) as the given staff member sees it.</summary>
    public async Task<JsonElement> TaskAsync(string user, string correlationId, string activityId)
    {
        var staff = await StaffAsync(user);
        try
        {
            var items = await Poll.UntilAsync(async () => (await staff.GetFromJsonAsync<JsonElement>("/api/tasks")).GetProperty("items").EnumerateArray().ToList(),
                l => l.Any(t => Is(t, correlationId, activityId)), what: $"task {activityId} of {correlationId} for {user}");
            return items.First(t => Is(t, correlationId, activityId));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nInstances: {await InstancesAsync(correlationId)}", ex);
        }
    }

    public async Task CompleteAsync(string user, string correlationId, string activityId, string action, object values)
    {
        var task = await TaskAsync(user, correlationId, activityId);
        var response = await (await StaffAsync(user)).PostAsJsonAsync($"/api/tasks/{task.GetProperty("id").GetString()}/complete", new { action, values });
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"{activityId}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static bool Is(JsonElement task, string correlationId, string activityId) =>
        task.GetProperty("correlationId").GetString() == correlationId && task.GetProperty("activityId").GetString() == activityId;

    /// <summary>Moves the fake clock and fires what fell due (timers, then messages).</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Host.Clock.Advance(by);
        foreach (var client in _staff.Values)
            client.Dispose();
        _staff.Clear();
        await Host.Services.GetRequiredService<TimerSweep>().RunAsync(CancellationToken.None);
    }

    public async Task<List<OutboxRecord>> MessagesAsync(string? correlationId = null) =>
        (await Host.Outbox.ListAsync(correlationId, 500, CancellationToken.None)).OrderBy(o => o.CreatedAt).ThenBy(o => o.IdempotencyKey, StringComparer.Ordinal).ToList();

    /// <summary>Waits until a message whose text contains the given words was sent (accepted by Twilio or the SMTP server); the latest such message.</summary>
    public async Task<OutboxRecord> SentAsync(string channel, string contains, string? correlationId = null)
    {
        await Host.Services.GetRequiredService<OutboxJobs>().SweepAsync(CancellationToken.None);
        try
        {
            return (await Poll.UntilAsync(() => MessagesAsync(correlationId),
                l => l.Any(o => o.Channel == channel && o.Status == OutboxStatus.Sent && Text(o).Contains(contains, StringComparison.Ordinal)),
                what: $"{channel} containing '{contains}'")).Last(o => o.Channel == channel && o.Status == OutboxStatus.Sent && Text(o).Contains(contains, StringComparison.Ordinal));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nInstances: {await InstancesAsync(correlationId)}", ex);
        }
    }

    /// <summary>The instances of a correlation with their status and incidents, for failure messages.</summary>
    public async Task<string> InstancesAsync(string? correlationId)
    {
        var (items, _) = await Host.Queries.QueryInstancesAsync(new InstanceQuery { CorrelationId = correlationId }, CancellationToken.None);
        var lines = new List<string>();
        foreach (var i in items)
            lines.Add($"{i.DefinitionId} {i.Status}/{i.SubStatus} {await Poll.IncidentsAsync(Api, i.Id)} journal: " +
                string.Join(", ", (await Poll.JournalAsync(Api, i.Id)).TakeLast(12).Select(j => $"{j.GetProperty("activityId")}:{j.GetProperty("eventName")}")));
        return string.Join("\n", lines);
    }

    public static string Text(OutboxRecord message) => MessagePayload.FromJson(message.Payload).Text;

    /// <summary>The texts Twilio was asked to send, in order.</summary>
    public List<string> TwilioBodies() => _twilio.LogEntries.Where(e => e.RequestMessage.Path == MessagesPath && e.RequestMessage.Method == "POST")
        .Select(e => e.RequestMessage.Body!.Split('&').Select(p => p.Split('=')).First(p => p[0] == "Body")[1]).Select(WebUtility.UrlDecode).ToList()!;

    /// <summary>The path of the customer's link in the latest SMS of a visit containing the text.</summary>
    public async Task<string> LinkAsync(string correlationId, string containing) =>
        await ShortLink.PathAsync(Host.NoRedirectClient(), Text(await SentAsync(Channels.Sms, containing, correlationId)));

    /// <summary>The customer opens the link of the latest approval SMS on their phone and approves the given lines (all when null).</summary>
    public async Task ApproveByLinkAsync(string correlationId, string containing, string[]? lines = null, string name = "Customer", bool decline = false)
    {
        var link = await LinkAsync(correlationId, containing);
        var phone = Host.CreateClient(Host.ClientOptionsFor());
        var page = await phone.GetStringAsync(link);
        var token = HostFactory.AntiforgeryToken(page);
        var offered = Regex.Matches(page, "name=\"line\" value=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        var form = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", token), new("signedName", name), new("consent", "true"), new("decision", decline ? "decline" : "approve") };
        form.AddRange((lines ?? [.. offered]).Select(l => new KeyValuePair<string, string>("line", l)));
        var response = await phone.PostAsync(link, new FormUrlEncodedContent(form));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The customer opens the booking link of a message on their phone and books the first free slot; returns the slot.</summary>
    public async Task<string> BookByLinkAsync(OutboxRecord message)
    {
        var link = await ShortLink.PathAsync(Host.NoRedirectClient(), Text(message));
        Assert.StartsWith("/c/book/", link, StringComparison.Ordinal);
        var phone = Host.CreateClient(Host.ClientOptionsFor());
        var page = await phone.GetStringAsync(link);
        var slot = Regex.Match(page, "name=\"slot\" value=\"([^\"]+)\"").Groups[1].Value;
        var booked = await phone.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = HostFactory.AntiforgeryToken(page), ["slot"] = slot }));
        Assert.Equal(HttpStatusCode.OK, booked.StatusCode);
        return slot;
    }

    /// <summary>A walk-in: the visit opened at arrival; returns its id and repair-order number.</summary>
    public async Task<(string Id, string Number)> WalkInAsync(string vehicleId)
    {
        var response = await Api.PostAsJsonAsync("/api/visits", new { vehicleId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var visit = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (visit.GetProperty("id").GetString()!, visit.GetProperty("number").GetString()!);
    }

    /// <summary>Reception, pre-inspection (customer waits, no wash) and needs; the customer approves the whole estimate by link.</summary>
    public async Task CheckInAsync(string number, string concerns, string services, int odometer = 15000)
    {
        await CompleteAsync("wang", number, "reception", "Done", new { greeted = "true" });
        await CompleteAsync("wang", number, "preInspection", "Done", new { odometer = odometer.ToString(System.Globalization.CultureInfo.InvariantCulture), fuel = "3/4", covers = "true", wash = "no", waiting = "wait", acknowledged = "true" });
        await CompleteAsync("wang", number, "needs", "Done", new { concerns, services, warranty = "NotCovered", signed = "true" });
    }

    /// <summary>From the approved estimate to delivery, with no additional work.</summary>
    public async Task RepairAndDeliverAsync(string number, string[]? approved = null)
    {
        await ApproveByLinkAsync(number, "your service estimate is ready", approved);
        await CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });
        await CompleteAsync("zhang", number, "work", "WorkDone", new { });
        await CompleteAsync("zhou", number, "qualityCheck", "Passed", new { });
        await CompleteAsync("wang", number, "settlement", "Done", new { explained = "true", payment = "card" });
        await CompleteAsync("wang", number, "delivery", "Done", new { walkaround = "true", informed = "true" });
    }

    public async Task<List<string>> OpenTasksAsync(string user, string correlationId) =>
        (await (await StaffAsync(user)).GetFromJsonAsync<JsonElement>("/api/tasks")).GetProperty("items").EnumerateArray()
            .Where(t => t.GetProperty("correlationId").GetString() == correlationId).Select(t => t.GetProperty("activityId").GetString()!).ToList();

    public async Task<JsonElement> VisitAsync(string id) => await Api.GetFromJsonAsync<JsonElement>($"/api/visits/{id}");

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _staff.Values)
            client.Dispose();
        await Host.DisposeAsync();
        _twilio.Stop();
        _smtp.Stop();
    }

}
