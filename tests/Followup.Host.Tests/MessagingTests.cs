using System.Net;
using System.Text.Json;
using Followup.Activities.Messaging;
using Followup.Host.Messaging;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

/// <summary>Messages through the outbox: the real Twilio SDK against WireMock on 127.0.0.1, MailKit against netDumbster, a fake clock.</summary>
public sealed class MessagingTests : IDisposable
{
    private const string AccountSid = "AC00000000000000000000000000000001";
    private const string AuthToken = "test-auth-token-2b7e";
    private const string From = "+15005550006";
    private const string PublicUrl = "https://followup.example.com";
    private const string Customer = "+8613800138000";
    private readonly WireMockServer _twilio = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    private static string MessagesPath => $"/2010-04-01/Accounts/{AccountSid}/Messages.json";

    private static Dictionary<string, string> Inputs(string language, string visit) => new() { ["Language"] = language, ["Visit"] = visit };

    private static string Notify(string id) => Workflow(id,
        [Activity("start", "Elsa.Start"),
         Activity("sms", "Followup.SendSms", string.Join(",", Input("to", "String", "138 0013 8000"), Input("language", "String", "Language", "Input"),
             Input("textZhCn", "String", "您的车辆已可取车。工单 {{ Input.Visit }}"), Input("textEn", "String", "Your car is ready. Order {{ Input.Visit }}"))),
         Activity("mail", "Followup.SendEmail", string.Join(",", Input("to", "String", "li.wei@example.com"), Input("language", "String", "Language", "Input"),
             Input("subjectZhCn", "String", "保养提醒 {{ Input.Visit }}"), Input("subjectEn", "String", "Service reminder {{ Input.Visit }}"),
             Input("bodyZhCn", "String", "您好，\n\n您的爱车即将到保养时间。"), Input("bodyEn", "String", "Hello,\n\nYour car is due for service."),
             Input("transactional", "Boolean", "false"))),
         Activity("end", "Elsa.End")],
        [Connection("start", "sms"), Connection("sms", "mail"), Connection("mail", "end")],
        extra: """ "inputs": [ { "type": "String", "name": "Language" }, { "type": "String", "name": "Visit" } ], """);

    private HostFactory NewHost(netDumbster.smtp.SimpleSmtpServer? smtp = null, bool quietHours = false, DelegatingHandler? twilioHandler = null)
    {
        var host = new HostFactory(("notify.json", Notify("notify")));
        host.Settings["Twilio:AccountSid"] = AccountSid;
        host.Settings["Twilio:AuthToken"] = AuthToken;
        host.Settings["Twilio:From"] = From;
        host.Settings["Twilio:ApiBaseUrlOverride"] = _twilio.Url;
        host.Settings["Messaging:PublicBaseUrl"] = PublicUrl;
        host.Settings["Messaging:RetryDelays:0"] = "00:00:30";
        if (!quietHours)
            (host.Settings["Messaging:QuietHoursStart"], host.Settings["Messaging:QuietHoursEnd"]) = ("00:00", "00:00");
        if (smtp != null)
        {
            host.Settings["Smtp:Host"] = "127.0.0.1";
            host.Settings["Smtp:Port"] = smtp.Configuration.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            host.Settings["Smtp:Security"] = "None";
            host.Settings["Smtp:From"] = "Followup Service <service@dealer.example>";
        }
        if (twilioHandler != null)
            host.TestServices = s => s.AddHttpClient(Followup.Activities.DependencyInjection.TwilioHttpClient).AddHttpMessageHandler(() => twilioHandler);
        return host;
    }

    private void TwilioAccepts(string sid = "SM00000000000000000000000000000001") =>
        _twilio.Given(Request.Create().WithPath(MessagesPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{ "sid": "{{sid}}", "status": "queued", "to": "{{Customer}}", "from": "{{From}}", "body": "x" }"""));

    private int Posts => _twilio.LogEntries.Count(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path == MessagesPath);

    private static async Task<OutboxRecord> SmsAsync(HostFactory host, Func<OutboxRecord, bool> done) =>
        await Poll.UntilAsync(async () => (await host.Outbox.ListAsync(null, 10, CancellationToken.None)).Single(o => o.Channel == Channels.Sms), done, what: "the SMS");

    private static Task SweepAsync(HostFactory host) => host.Services.GetRequiredService<OutboxJobs>().SweepAsync(CancellationToken.None);

    [Fact]
    public async Task An_sms_goes_to_twilio_with_the_exact_form_fields_in_the_customers_language()
    {
        TwilioAccepts();
        await using var host = NewHost();
        await Poll.StartAsync(host.Api(), "notify", Inputs("zh-CN", "RO-1001"));
        var sms = await SmsAsync(host, o => o.Status == OutboxStatus.Sent);

        Assert.Equal("SM00000000000000000000000000000001", sms.ProviderId);
        var request = Assert.Single(_twilio.LogEntries).RequestMessage;
        var form = request.Body!.Split('&').Select(p => p.Split('=')).ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p[1]));
        Assert.Equal(Customer, form["To"]);
        Assert.Equal(From, form["From"]);
        Assert.Equal("【Followup】您的车辆已可取车。工单 RO-1001", form["Body"]); // signed with the store's name
        Assert.Equal($"{PublicUrl}/twilio/status", form["StatusCallback"]);
        Assert.Equal(4, form.Count);
        Assert.Equal("Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")), request.Headers!["Authorization"].Single());
    }

    /// <summary>
    /// The host that committed a message sends it at once, with no job of its own in the job store (each was a dozen
    /// writes there, and a row per SMS and email on the operators' job dashboard).
    /// </summary>
    [Fact]
    public async Task A_committed_message_is_sent_by_its_host_at_once_without_a_job_of_its_own()
    {
        TwilioAccepts();
        await using var host = NewHost();
        await Poll.StartAsync(host.Api(), "notify", Inputs("en", "RO-1003"));
        await SmsAsync(host, o => o.Status == OutboxStatus.Sent);

        // In the order a job moves, so one moving on meanwhile is still seen.
        var monitor = host.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        var jobs = monitor.EnqueuedJobs(OutboxJobs.Queue, 0, 100).Select(j => j.Value.Job)
            .Concat(monitor.ProcessingJobs(0, 100).Select(j => j.Value.Job))
            .Concat(monitor.SucceededJobs(0, 100).Select(j => j.Value.Job)).ToList();
        Assert.Contains(jobs, j => j?.Method.Name == nameof(OutboxJobs.SweepAsync));
        Assert.DoesNotContain(jobs, j => j?.Method.Name == nameof(OutboxJobs.DispatchAsync));
    }

    /// <summary>
    /// Messages its host cannot handle as they are committed (here: on a channel it has no sender for) stay due for the
    /// sweep, and hold up neither the host nor the messages queued behind them.
    /// </summary>
    [Fact]
    public async Task Messages_that_fail_as_they_are_committed_stay_due_and_hold_up_nothing_behind_them()
    {
        TwilioAccepts();
        await using var host = NewHost();
        var api = host.Api();
        var broken = Enumerable.Range(1, 6).Select(i => new OutboxRecord
        {
            Id = $"fax-{i}", IdempotencyKey = $"fax-{i}", Channel = "fax", Recipient = "+8613800138000", Payload = "{}",
            CreatedAt = host.Clock.GetUtcNow().UtcDateTime,
        }).ToList();
        var outbox = host.Services.GetRequiredService<OutboxStore>();
        await outbox.AddAsync(broken, CancellationToken.None);
        var queue = host.Services.GetRequiredService<IOutboxQueue>();
        foreach (var message in broken)
            await queue.EnqueueAsync(message.Id, CancellationToken.None);

        await Poll.StartAsync(api, "notify", Inputs("en", "RO-1004"));
        await SmsAsync(host, o => o.Status == OutboxStatus.Sent);
        Assert.Equal(1, Posts);
        foreach (var message in broken)
            Assert.Equal((OutboxStatus.Pending, 0), await outbox.FindAsync(message.Id, CancellationToken.None) is { } row ? (row.Status, row.Attempts) : default);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task A_500_and_a_429_are_retried_with_backoff_and_a_400_is_not()
    {
        _twilio.Given(Request.Create().WithPath(MessagesPath).UsingPost()).InScenario("flaky").WillSetStateTo("one")
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("""{ "code": 20500, "message": "Internal error", "status": 500 }"""));
        _twilio.Given(Request.Create().WithPath(MessagesPath).UsingPost()).InScenario("flaky").WhenStateIs("one").WillSetStateTo("two")
            .RespondWith(Response.Create().WithStatusCode(429).WithBody("""{ "code": 20429, "message": "Too many requests", "status": 429 }"""));
        _twilio.Given(Request.Create().WithPath(MessagesPath).UsingPost()).InScenario("flaky").WhenStateIs("two").WillSetStateTo("three")
            .RespondWith(Response.Create().WithStatusCode(201).WithBody("""{ "sid": "SM2", "status": "queued" }"""));
        await using var host = NewHost();
        await Poll.StartAsync(host.Api(), "notify", Inputs("en", "RO-1002"));
        var sms = await SmsAsync(host, o => o.Attempts == 1 && o.Status == OutboxStatus.Pending);
        Assert.Equal(host.Clock.GetUtcNow().UtcDateTime.AddSeconds(30), sms.NotBefore);

        await SweepAsync(host);
        Assert.Equal(1, Posts);
        host.Clock.Advance(TimeSpan.FromSeconds(30));
        await SweepAsync(host);
        Assert.Equal(2, Posts);
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        await SweepAsync(host);
        sms = await SmsAsync(host, o => o.Status == OutboxStatus.Sent);
        Assert.Equal(3, Posts);
        Assert.Equal(3, sms.Attempts);
        Assert.Equal("SM2", sms.ProviderId);
    }

    [Fact]
    public async Task A_gateway_error_page_instead_of_twilios_answer_is_retried_not_failed()
    {
        _twilio.Given(Request.Create().WithPath(MessagesPath).UsingPost()).InScenario("proxy").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(502).WithHeader("Content-Type", "text/html").WithBody("<html><body>Bad Gateway</body></html>"));
        _twilio.Given(Request.Create().WithPath(MessagesPath).UsingPost()).InScenario("proxy").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(201).WithBody("""{ "sid": "SM3", "status": "queued" }"""));
        await using var host = NewHost();
        await Poll.StartAsync(host.Api(), "notify", Inputs("en", "RO-1009"));
        var sms = await SmsAsync(host, o => o.Attempts == 1 && o.Status == OutboxStatus.Pending);
        Assert.Null(sms.ErrorCode);
        host.Clock.Advance(TimeSpan.FromSeconds(30));
        await SweepAsync(host);
        sms = await SmsAsync(host, o => o.Status == OutboxStatus.Sent);
        Assert.Equal(("SM3", 2), (sms.ProviderId, sms.Attempts));
    }

    [Fact]
    public async Task A_400_with_an_error_code_fails_at_once_and_is_visible()
    {
        _twilio.Given(Request.Create().WithPath(MessagesPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("""{ "code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400 }"""));
        await using var host = NewHost();
        await Poll.StartAsync(host.Api(), "notify", Inputs("en", "RO-1003"));
        var sms = await SmsAsync(host, o => o.Status == OutboxStatus.Failed);
        host.Clock.Advance(TimeSpan.FromHours(1));
        await SweepAsync(host);
        Assert.Equal(1, Posts);
        Assert.Equal("21211", sms.ErrorCode);
        Assert.Contains("not a valid phone number", sms.Error, StringComparison.Ordinal);

        // Staff see it, marked failed, with the provider's code; a technician does not see messages.
        await host.AddStaffAsync("li", "advisor-pass-123", Followup.Host.Security.Roles.Advisor);
        await host.AddStaffAsync("zhang", "technician-pass-123", Followup.Host.Security.Roles.Technician);
        var page = await (await host.SignedInAsync("li", "advisor-pass-123")).GetStringAsync("/messages?lang=en");
        Assert.Contains("<tr class=\"failed\">", page, StringComparison.Ordinal);
        Assert.Contains("21211", page, StringComparison.Ordinal);
        Assert.Contains("Your car is ready. Order RO-1003", page, StringComparison.Ordinal);
        var technician = await (await host.SignedInAsync("zhang", "technician-pass-123")).GetAsync("/messages");
        Assert.Equal(HttpStatusCode.Redirect, technician.StatusCode);
        Assert.StartsWith("/account/denied", technician.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_answer_to_an_accepted_send_is_lost_the_next_attempt_finds_it_and_sends_nothing()
    {
        TwilioAccepts("SM-accepted");
        _twilio.Given(Request.Create().WithPath(MessagesPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""
                { "messages": [ { "sid": "SM-accepted", "to": "{{Customer}}", "from": "{{From}}", "body": "Followup: Your car is ready. Order RO-1004", "status": "sent" } ],
                  "end": 0, "first_page_uri": "{{MessagesPath}}?PageSize=50&Page=0", "next_page_uri": null, "page": 0, "page_size": 50, "previous_page_uri": null, "start": 0, "uri": "{{MessagesPath}}?PageSize=50&Page=0" }
                """));
        await using var host = NewHost(twilioHandler: new LoseAnswerOnce());
        await Poll.StartAsync(host.Api(), "notify", Inputs("en", "RO-1004"));
        var sms = await SmsAsync(host, o => o.Attempts == 1 && o.Status == OutboxStatus.Sending && o.NotBefore != null);
        Assert.Equal(1, Posts);

        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await SweepAsync(host);
        sms = await SmsAsync(host, o => o.Status == OutboxStatus.Sent);
        Assert.Equal(1, Posts);
        Assert.Equal("SM-accepted", sms.ProviderId);
    }

    [Fact]
    public async Task Email_has_subject_text_and_html_parts_unsubscribe_header_and_the_customers_language()
    {
        using var smtp = netDumbster.smtp.Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        TwilioAccepts();
        await using var host = NewHost(smtp);
        await Poll.StartAsync(host.Api(), "notify", Inputs("zh-CN", "RO-1005"));
        await Poll.UntilAsync(() => Task.FromResult(smtp.ReceivedEmailCount), n => n == 1, what: "the email");
        var mail = smtp.ReceivedEmail[0];
        Assert.Equal("保养提醒 RO-1005", mail.Subject);
        Assert.Equal("li.wei@example.com", mail.ToAddresses.Single().Address);
        var headers = System.Text.RegularExpressions.Regex.Replace(mail.Data, @"\r\n[ \t]+", " ");
        Assert.Contains("Content-Language: zh-CN", headers, StringComparison.Ordinal);
        Assert.Matches(@"List-Unsubscribe:\s*<http://localhost:5080/unsubscribe\?m=", headers);
        Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click", headers, StringComparison.Ordinal);
        Assert.Equal(2, mail.MessageParts.Length);
        Assert.Contains(mail.MessageParts, p => p.HeaderData.Contains("text/plain", StringComparison.Ordinal));
        Assert.Contains(mail.MessageParts, p => p.HeaderData.Contains("text/html", StringComparison.Ordinal) && p.BodyData.Contains("<p>", StringComparison.Ordinal));
        var email = await Poll.UntilAsync(async () => (await host.Outbox.ListAsync(null, 10, CancellationToken.None)).Single(o => o.Channel == Channels.Email),
            o => o.Status == OutboxStatus.Sent);
        Assert.Contains("@followup", email.ProviderId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhooks_need_a_valid_signature_tolerate_duplicates_and_STOP_blocks_the_next_sms()
    {
        TwilioAccepts("SM-status");
        await using var host = NewHost();
        var web = host.CreateClient();
        await Poll.StartAsync(host.Api(), "notify", Inputs("en", "RO-1006"));
        await SmsAsync(host, o => o.Status == OutboxStatus.Sent);

        var delivered = new Dictionary<string, string> { ["MessageSid"] = "SM-status", ["MessageStatus"] = "delivered", ["To"] = Customer };
        Assert.Equal(HttpStatusCode.Forbidden, (await web.PostAsync("/twilio/status", new FormUrlEncodedContent(delivered))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostSignedAsync(web, "/twilio/status", delivered, "wrong-token")).StatusCode);
        Assert.Equal(OutboxStatus.Sent, (await SmsAsync(host, _ => true)).Status);

        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(web, "/twilio/status", delivered, AuthToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(web, "/twilio/status", delivered, AuthToken)).StatusCode);
        var sms = await SmsAsync(host, _ => true);
        Assert.Equal(OutboxStatus.Delivered, sms.Status);
        Assert.Single(JsonDocument.Parse(sms.History).RootElement.EnumerateArray(), h => h.GetProperty("status").GetString() == OutboxStatus.Delivered);

        var stop = new Dictionary<string, string> { ["MessageSid"] = "SM-in-1", ["From"] = Customer, ["To"] = From, ["Body"] = "STOP" };
        Assert.Equal(HttpStatusCode.Forbidden, (await web.PostAsync("/twilio/inbound", new FormUrlEncodedContent(stop))).StatusCode);
        Assert.False(await host.Consents.IsOptedOutAsync(Channels.Sms, Customer, CancellationToken.None));
        var reply = await PostSignedAsync(web, "/twilio/inbound", stop, AuthToken);
        Assert.Contains("您已退订", await reply.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await host.Consents.IsOptedOutAsync(Channels.Sms, Customer, CancellationToken.None));

        await Poll.StartAsync(host.Api(), "notify", Inputs("en", "RO-1007"));
        await Poll.UntilAsync(async () => await host.Outbox.ListAsync(null, 10, CancellationToken.None),
            list => list.Any(o => o.Channel == Channels.Sms && o.Status == OutboxStatus.Blocked), what: "the second SMS to be blocked");
        Assert.Equal(1, Posts);
    }

    [Fact]
    public async Task A_reply_reaches_the_workflow_waiting_for_that_customers_answer()
    {
        await using var host = NewHost();
        host.Settings["Engine:DefinitionsPath"] = host.Folder;
        File.WriteAllText(Path.Combine(host.Folder, "await-reply.json"), Workflow("await-reply",
            [Activity("start", "Elsa.Start"), Activity("correlate", "Elsa.Correlate", Input("correlationId", "String", Customer)),
             Event("reply", "SmsReceived"), Activity("end", "Elsa.End")],
            [Connection("start", "correlate"), Connection("correlate", "reply"), Connection("reply", "end")]));
        var api = host.Api();
        var id = await Poll.StartAsync(api, "await-reply");
        Assert.Equal("Suspended", await Poll.SubStatusAsync(api, id));

        var yes = new Dictionary<string, string> { ["MessageSid"] = "SM-in-yes", ["From"] = Customer, ["To"] = From, ["Body"] = "YES" };
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(host.CreateClient(), "/twilio/inbound", yes, AuthToken)).StatusCode);
        Assert.Equal("Finished", await Poll.SubStatusAsync(api, id));
        Assert.False(await host.Consents.IsOptedOutAsync(Channels.Sms, Customer, CancellationToken.None));
    }

    [Fact]
    public async Task A_non_urgent_sms_written_at_night_waits_for_the_end_of_quiet_hours()
    {
        TwilioAccepts();
        await using var host = NewHost(quietHours: true);
        host.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 14, 30, 0, TimeSpan.Zero)); // 22:30 in Shanghai
        await Poll.StartAsync(host.Api(), "notify", Inputs("en", "RO-1008"));
        var sms = await SmsAsync(host, o => o.Status == OutboxStatus.Held);
        Assert.Equal(new DateTime(2026, 3, 3, 0, 0, 0, DateTimeKind.Utc), sms.NotBefore); // 08:00 in Shanghai

        host.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 23, 59, 0, TimeSpan.Zero));
        await SweepAsync(host);
        Assert.Equal(0, Posts);
        host.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 3, 0, 0, 30, TimeSpan.Zero));
        await SweepAsync(host);
        await SmsAsync(host, o => o.Status == OutboxStatus.Sent);
        Assert.Equal(1, Posts);
    }

    [Fact]
    public async Task An_invalid_phone_number_faults_the_step_with_a_clear_message_and_sends_nothing()
    {
        TwilioAccepts();
        await using var host = NewHost();
        host.Settings["Engine:DefinitionsPath"] = host.Folder;
        File.WriteAllText(Path.Combine(host.Folder, "bad.json"), Workflow("bad-number",
            [Activity("sms", "Followup.SendSms", string.Join(",", Input("to", "String", "12345"), Input("textEn", "String", "Hello")))], []));
        var api = host.Api();
        var id = await Poll.StartAsync(api, "bad-number");
        Assert.Equal("Faulted", await Poll.SubStatusAsync(api, id));
        Assert.Contains("'12345' is not a valid phone number.", await Poll.IncidentsAsync(api, id), StringComparison.Ordinal);
        Assert.Empty(await host.Outbox.ListAsync(null, 10, CancellationToken.None));
        Assert.Equal(0, Posts);
    }

    private static HostFactory WithSmtpPort(HostFactory host, int port)
    {
        host.Settings["Smtp:Host"] = "127.0.0.1";
        host.Settings["Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        host.Settings["Smtp:Security"] = "None";
        host.Settings["Smtp:From"] = "Followup Service <service@dealer.example>";
        return host;
    }

    [Fact]
    public async Task When_twilio_cannot_be_reached_the_sweep_still_sends_every_email_that_is_due()
    {
        _twilio.Given(Request.Create().WithPath(MessagesPath)).RespondWith(Response.Create().WithStatusCode(503).WithBody("down"));
        using var smtp = netDumbster.smtp.Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        await using var host = NewHost(smtp);
        var now = host.Clock.GetUtcNow().UtcDateTime;
        // An SMS whose attempt was cut off (it must be checked with Twilio first), then twenty emails.
        var sms = Followup.Activities.Messaging.Outbox.Row("sms-cut-off", Channels.Sms, Customer, new MessagePayload("en", "Your car is ready."), urgent: true, "RO-2001", now.AddMinutes(-5));
        sms.Status = OutboxStatus.Sending;
        sms.Attempts = 1;
        sms.AttemptStartedAt = now.AddMinutes(-5);
        var emails = Enumerable.Range(1, 20).Select(i => Followup.Activities.Messaging.Outbox.Row($"email-{i}", Channels.Email, $"customer{i}@example.com",
            new MessagePayload("en", "Your invoice", "Invoice"), urgent: true, $"RO-20{i:D2}", now.AddMinutes(-4))).ToList();
        await host.Outbox.AddAsync([sms, .. emails], CancellationToken.None);

        await SweepAsync(host);

        await Poll.UntilAsync(() => Task.FromResult(smtp.ReceivedEmailCount), n => n == 20, what: "twenty emails");
        var rows = await host.Outbox.ListAsync(null, 50, CancellationToken.None);
        Assert.All(rows.Where(r => r.Channel == Channels.Email), r => Assert.Equal(OutboxStatus.Sent, r.Status));
        var waiting = rows.Single(r => r.Channel == Channels.Sms);
        Assert.Equal(OutboxStatus.Sending, waiting.Status);
        Assert.True(waiting.NotBefore > now, "the SMS is asked about again later");
        Assert.Equal(0, Posts);
    }

    [Fact]
    public async Task An_email_whose_acceptance_was_not_heard_is_sent_again_with_the_same_message_id()
    {
        using var smtp = new FakeSmtpServer { DropAfterData = 1 };
        TwilioAccepts();
        await using var host = WithSmtpPort(NewHost(), smtp.Port);
        await Poll.StartAsync(host.Api(), "notify", Inputs("en", "RO-1006"));
        var email = await Poll.UntilAsync(async () => (await host.Outbox.ListAsync(null, 10, CancellationToken.None)).Single(o => o.Channel == Channels.Email),
            o => o.Attempts == 1 && o.Status == OutboxStatus.Sending && o.NotBefore != null, what: "the unanswered email");

        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await SweepAsync(host);
        email = (await host.Outbox.ListAsync(null, 10, CancellationToken.None)).Single(o => o.Channel == Channels.Email);
        Assert.Equal((OutboxStatus.Sent, 2), (email.Status, email.Attempts));
        Assert.Equal(2, smtp.Received.Count);
        Assert.Equal([$"{email.Id}@followup", $"{email.Id}@followup"], smtp.MessageIds);
    }

    [Fact]
    public async Task A_mail_server_that_cannot_be_reached_leaves_the_email_waiting_without_doubt_about_a_copy()
    {
        int closedPort;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        TwilioAccepts();
        await using var host = WithSmtpPort(NewHost(), closedPort);
        await Poll.StartAsync(host.Api(), "notify", Inputs("en", "RO-1007"));
        var email = await Poll.UntilAsync(async () => (await host.Outbox.ListAsync(null, 10, CancellationToken.None)).Single(o => o.Channel == Channels.Email),
            o => o.Attempts == 1 && o.NotBefore != null, what: "the first attempt");
        Assert.Equal(OutboxStatus.Pending, email.Status);
        Assert.Null(email.AttemptStartedAt);
    }

    private static Task<HttpResponseMessage> PostSignedAsync(HttpClient client, string path, Dictionary<string, string> form, string token) =>
        TwilioRequests.PostSignedAsync(client, PublicUrl, path, form, token);

    /// <summary>The provider accepts the first message but its answer never arrives (a dropped connection, a crash before the commit).</summary>
    public void Dispose() => _twilio.Stop();
}
