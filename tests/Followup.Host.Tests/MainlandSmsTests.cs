using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Followup.Activities.Messaging;
using Followup.Host.Messaging;
using Microsoft.Extensions.DependencyInjection;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

/// <summary>
/// SMS through Alibaba Cloud and Tencent Cloud: the real senders against <see cref="MainlandSmsFake"/>, which checks
/// every request's signature as the provider documents it, and the providers' callbacks posted as they post them.
/// </summary>
public sealed class MainlandSmsTests
{
    private const string Store = "浦东大众4S店";

    /// <summary>The provider's callback body for a delivery receipt of <paramref name="id"/> (our message <paramref name="messageId"/>).</summary>
    private static object Receipt(string provider, string id, string messageId, string phone, bool success) => provider == "Aliyun"
        ? new[] { new { phone_number = phone, send_time = "2026-03-02 10:00:00", report_time = "2026-03-02 10:00:05", success, err_code = success ? "DELIVERED" : "MK:0001", err_msg = success ? "用户接收成功" : "失败", sms_size = "1", biz_id = id, out_id = messageId } }
        : new[] { new { user_receive_time = "2026-03-02 10:00:05", nationcode = "86", mobile = phone, report_status = success ? "SUCCESS" : "FAIL", errmsg = success ? "DELIVRD" : "MK:0001", description = success ? "用户短信送达成功" : "失败", sid = id } };

    /// <summary>The provider's callback body for a customer's reply (<paramref name="sequence"/> tells two replies apart).</summary>
    private static object Reply(string provider, string phone, string text, int sequence) => provider == "Aliyun"
        ? new[] { new { phone_number = phone, send_time = $"2026-03-02 10:{sequence:D2}:00", content = text, sign_name = Store, dest_code = "1234", sequence_id = 1000 + sequence } }
        : new { extend = "", mobile = phone, nationcode = "86", sign = Store, text, time = 1772416800 + sequence };

    private static Task<HttpResponseMessage> CallbackAsync(HttpClient web, string provider, string kind, object body, string token = MainlandSmsFake.Token) =>
        web.PostAsync($"/sms/{provider.ToLowerInvariant()}/{kind}?token={Uri.EscapeDataString(token)}", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    /// <summary>How the provider is given a mainland number: eleven digits (Alibaba) or E.164 (Tencent).</summary>
    private static string AsSent(string provider, string national) => provider == "Aliyun" ? national : "+86" + national;

    private static async Task<(string Id, string Phone)> BookAsync(ServiceDesk desk, int serial)
    {
        var (customerId, vehicleId) = await desk.CustomerAsync($"Customer {serial}", $"+86 137 3000 {serial:D4}", null, "zh-CN", serial, 30000, $"浙A{serial:D5}");
        var booked = await desk.Api.PostAsJsonAsync("/api/appointments", new { customerId, vehicleId, slotAt = "2026-03-05T02:00:00Z", advisor = "wang" });
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        return ((await booked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!, $"1373000{serial:D4}");
    }

    [Theory]
    [InlineData("Aliyun")]
    [InlineData("Tencent")]
    public async Task A_text_goes_as_its_registered_template_under_the_signature_and_its_receipt_comes_back(string provider)
    {
        using var fake = new MainlandSmsFake(provider);
        await using var desk = await ServiceDesk.OpenAsync(host => fake.Configure(host));
        var (id, phone) = await BookAsync(desk, 42);
        var sms = await desk.SentAsync(Channels.Sms, "您已预约", id);
        sms = await Poll.UntilAsync(async () => (await desk.MessagesAsync(id)).Single(m => m.Id == sms.Id), m => m.Status == OutboxStatus.Sent, what: "the confirmation sent");

        var sent = Assert.Single(fake.Accepted);
        Assert.Equal((AsSent(provider, phone), MainlandSmsFake.TemplateId(provider, SmsTemplates.AppointmentBooked), Store, sms.Id), (sent.Phone, sent.Template, sent.SignName, sent.MessageId));
        Assert.Equal(provider == "Aliyun"
            ? ["name=Customer 42", "time=2026-03-05 10:00", $"place={Store}", "plate=浙A00042", "service=保养"]
            : ["Customer 42", "2026-03-05 10:00", Store, "浙A00042", "保养"], sent.Values);
        Assert.Equal(sent.Id, sms.ProviderId);
        // The text staff read is the one the customer receives: the registered template, filled in, under the signature.
        Assert.Equal($"【{Store}】Customer 42您好，您已预约2026-03-05 10:00到{Store}（浙A00042，保养）。到店请告知预约，我们将优先接待；如需取消请回复“取消”。", ServiceDesk.Text(sms));
        Assert.Empty(desk.TwilioBodies());

        var web = desk.Host.CreateClient();
        var receipt = Receipt(provider, sent.Id, sms.Id, phone, success: true);
        Assert.Equal(HttpStatusCode.Forbidden, (await CallbackAsync(web, provider, "report", receipt, token: "guessed")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await CallbackAsync(web, provider == "Aliyun" ? "Tencent" : "Aliyun", "report", receipt)).StatusCode); // the other provider's address
        Assert.Equal(OutboxStatus.Sent, (await desk.MessagesAsync(id)).Single(m => m.Id == sms.Id).Status);
        var answer = await CallbackAsync(web, provider, "report", receipt);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(provider == "Aliyun" ? """{"code":0,"msg":"接收成功"}""" : """{"result":0,"errmsg":"OK"}""", await answer.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await CallbackAsync(web, provider, "report", receipt)).StatusCode);
        var delivered = (await desk.MessagesAsync(id)).Single(m => m.Id == sms.Id);
        Assert.Equal(OutboxStatus.Delivered, delivered.Status);
        Assert.Single(JsonDocument.Parse(delivered.History).RootElement.EnumerateArray(), h => h.GetProperty("status").GetString() == OutboxStatus.Delivered);
        Assert.Equal(HttpStatusCode.BadRequest, (await web.PostAsync($"/sms/{provider.ToLowerInvariant()}/report?token={MainlandSmsFake.Token}", new StringContent("not json", Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Theory]
    [InlineData("Aliyun")]
    [InlineData("Tencent")]
    public async Task Replies_come_back_through_the_callback_to_cancel_to_unsubscribe_and_to_stop(string provider)
    {
        using var fake = new MainlandSmsFake(provider);
        await using var desk = await ServiceDesk.OpenAsync(host => fake.Configure(host));
        var (id, phone) = await BookAsync(desk, 43);
        await desk.SentAsync(Channels.Sms, "您已预约", id);
        var web = desk.Host.CreateClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await CallbackAsync(web, provider, "reply", Reply(provider, phone, "取消。", 1), token: "")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await CallbackAsync(web, provider, "reply", Reply(provider, phone, "取消。", 1))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await CallbackAsync(web, provider, "reply", Reply(provider, phone, "取消。", 1))).StatusCode); // delivered twice
        var cancelled = await desk.SentAsync(Channels.Sms, "的到店预约已取消", id);
        Assert.Equal($"【{Store}】Customer 43您好，您2026-03-05 10:00的到店预约已取消。", ServiceDesk.Text(cancelled));
        await Poll.UntilAsync(() => Task.FromResult(fake.Accepted.Count), n => n == 2, what: "the cancellation's confirmation");
        Assert.Equal(MainlandSmsFake.TemplateId(provider, SmsTemplates.AppointmentCancelledNoPhone), fake.Accepted.Last().Template); // this store has no phone to call
        Assert.Single(await desk.MessagesAsync(id), m => ServiceDesk.Text(m).Contains("已取消", StringComparison.Ordinal));
        Assert.False(await desk.Host.Consents.IsOptedOutAsync(Channels.Sms, "+86" + phone, CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, (await CallbackAsync(web, provider, "reply", Reply(provider, phone, "退订", 2))).StatusCode);
        Assert.True(await desk.Host.Consents.IsOptedOutAsync(Channels.Marketing(Channels.Sms), "+86" + phone, CancellationToken.None));
        Assert.False(await desk.Host.Consents.IsOptedOutAsync(Channels.Sms, "+86" + phone, CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await CallbackAsync(web, provider, "reply", Reply(provider, phone, "STOP", 3))).StatusCode);
        Assert.True(await desk.Host.Consents.IsOptedOutAsync(Channels.Sms, "+86" + phone, CancellationToken.None));
        Assert.Equal(2, fake.Accepted.Count); // nothing answers an opt-out: the provider confirms 退订 itself

        // A reply that is neither reaches the conversation, unanswered.
        Assert.Equal(HttpStatusCode.OK, (await CallbackAsync(web, provider, "reply", Reply(provider, phone, "几点开门？", 4))).StatusCode);
        Assert.Equal(2, fake.Accepted.Count);
    }

    private static string SurveyOnly(string id) => Workflow(id,
        [Activity("start", "Elsa.Start"),
         Activity("callback", "Followup.SatisfactionCallback", string.Join(",", Input("visitId", "String", "VisitId", "Input"), Input("firstCallDay", "Int32", "1"), Input("mode", "String", "sms"),
             Input("lastCallDay", "Int32", "2"))),
         Activity("ok", "Elsa.SetName", Input("value", "String", "Satisfied")),
         Activity("bad", "Elsa.SetName", Input("value", "String", "Escalate")),
         Activity("gone", "Elsa.SetName", Input("value", "String", "Unreachable"))],
        [Connection("start", "callback"), Connection("callback", "ok", "Satisfied"), Connection("callback", "bad", "Escalate"), Connection("callback", "gone", "Unreachable")],
        extra: """ "inputs": [ { "type": "String", "name": "VisitId" } ], """);

    /// <summary>A survey-only callback for a visit of Zhou Jie (135 2222 3333), run until the survey is due: the store opens next morning.</summary>
    private static async Task<(ServiceDesk Desk, string VisitId, string Instance)> SurveyAsync(MainlandSmsFake fake, string correlationId)
    {
        var desk = await ServiceDesk.OpenAsync(host =>
        {
            fake.Configure(host);
            File.WriteAllText(Path.Combine(host.Folder, "workflows", "survey-test.json"), SurveyOnly("survey-test"));
        });
        var (_, vehicleId) = await desk.CustomerAsync("Zhou Jie", "+86 135 2222 3333", null, "zh-CN", 13, 30000, "沪D34567");
        var (visitId, _) = await desk.WalkInAsync(vehicleId);
        var started = await desk.Api.PostAsJsonAsync("/elsa/api/workflow-definitions/survey-test/execute", new { correlationId, input = new { VisitId = visitId } });
        started.EnsureSuccessStatusCode();
        await desk.AdvanceAsync(TimeSpan.FromHours(16));
        return (desk, visitId, started.Headers.GetValues("x-elsa-workflow-instance-id").Single());
    }

    [Theory]
    [InlineData("Aliyun")]
    [InlineData("Tencent")]
    public async Task The_sms_survey_goes_as_its_template_and_the_score_comes_back_through_the_callback(string provider)
    {
        using var fake = new MainlandSmsFake(provider);
        var (desk, visitId, instance) = await SurveyAsync(fake, "CB-1");
        await using var _ = desk;
        var survey = await desk.SentAsync(Channels.Sms, "请回复1-5为本次服务打分", "CB-1");
        Assert.EndsWith("回复TD退订", ServiceDesk.Text(survey), StringComparison.Ordinal);
        await Poll.UntilAsync(() => Task.FromResult(fake.Accepted.ToList()), a => a.Any(m => m.Template == MainlandSmsFake.TemplateId(provider, SmsTemplates.SatisfactionSurvey)), what: "the survey");

        Assert.Equal(HttpStatusCode.OK, (await CallbackAsync(desk.Host.CreateClient(), provider, "reply", Reply(provider, "13522223333", "4分", 1))).StatusCode);
        Assert.Equal("Satisfied", (await Poll.InstanceAsync(desk.Api, instance)).GetProperty("name").GetString());
        var callback = (await desk.VisitAsync(visitId)).GetProperty("callbacks").EnumerateArray().Single();
        Assert.Equal(4, callback.GetProperty("score").GetInt32());
    }

    [Fact]
    public async Task A_survey_that_cannot_be_delivered_becomes_a_call()
    {
        using var fake = new MainlandSmsFake("Aliyun") { RefusedNumber = "13522223333" };
        var (desk, _, _) = await SurveyAsync(fake, "CB-2");
        await using var _ = desk;
        var survey = await Poll.UntilAsync(async () => (await desk.MessagesAsync("CB-2")).SingleOrDefault(m => m.Channel == Channels.Sms), m => m?.Status == OutboxStatus.Failed, what: "the survey refused");
        Assert.Equal(SmsTemplates.SatisfactionSurvey, MessagePayload.FromJson(survey!.Payload).Template);
        Assert.Equal(["callback"], await Poll.UntilAsync(() => desk.OpenTasksAsync("chen", "CB-2"), t => t.Count == 1, what: "the call instead"));
    }

    private static string Notify(string id, string to, string template = "vehicle-ready") => Workflow(id,
        [Activity("start", "Elsa.Start"),
         Activity("sms", "Followup.SendSms", string.Join(",", Input("to", "String", to), Input("language", "String", "zh-CN"), Input("email", "String", "li.wei@example.com"),
             Input("template", "String", template),
             Input("parameters", "String", """{ "name": "{{ 'Li Wei' }}", "plate": "沪A12345", "amount": "¥630.00", "hours": "08:30–18:00" }"""),
             Input("textZhCn", "String", "Li Wei您好，您的爱车沪A12345已完工并通过质检，应付金额¥630.00。营业时间08:30–18:00，欢迎取车。"),
             Input("urgent", "Boolean", "true"))),
         Activity("end", "Elsa.End")],
        [Connection("start", "sms"), Connection("sms", "end")]);

    private static HostFactory NotifyHost(MainlandSmsFake fake, netDumbster.smtp.SimpleSmtpServer smtp, string to = "138 0013 8000", string template = "vehicle-ready", string secret = MainlandSmsFake.Secret)
    {
        var host = new HostFactory(("notify.json", Notify("notify", to, template)));
        fake.Configure(host, secret);
        (host.Settings["Store:Name"], host.Settings["Messaging:RetryDelays:0"]) = (Store, "00:00:30");
        (host.Settings["Messaging:QuietHoursStart"], host.Settings["Messaging:QuietHoursEnd"]) = ("00:00", "00:00");
        host.Settings["Smtp:Host"] = "127.0.0.1";
        host.Settings["Smtp:Port"] = smtp.Configuration.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        host.Settings["Smtp:Security"] = "None";
        host.Settings["Smtp:From"] = "Followup Service <service@dealer.example>";
        return host;
    }

    private static async Task<OutboxRecord> SmsAsync(HostFactory host, Func<OutboxRecord, bool> done) =>
        await Poll.UntilAsync(async () => (await host.Outbox.ListAsync(null, 10, CancellationToken.None)).Single(o => o.Channel == Channels.Sms), done, what: "the SMS");

    private static Task SweepAsync(HostFactory host) => host.Services.GetRequiredService<OutboxJobs>().SweepAsync(CancellationToken.None);

    [Theory]
    [InlineData("Aliyun")]
    [InlineData("Tencent")]
    public async Task A_refused_signature_is_recorded_as_failed_and_the_text_goes_by_email_instead(string provider)
    {
        using var fake = new MainlandSmsFake(provider);
        using var smtp = netDumbster.smtp.Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        await using var host = NotifyHost(fake, smtp, secret: "a-secret-the-provider-does-not-know");
        await Poll.StartAsync(host.Api(), "notify");
        var sms = await SmsAsync(host, o => o.Status == OutboxStatus.Failed);
        Assert.Equal(provider == "Aliyun" ? "SignatureDoesNotMatch" : "AuthFailure.SignatureFailure", sms.ErrorCode);
        Assert.Equal((1, 1, 0), (fake.BadSignatures, fake.SendAttempts, fake.Accepted.Count));
        host.Clock.Advance(TimeSpan.FromHours(1));
        await SweepAsync(host);
        Assert.Equal(1, fake.SendAttempts);

        await Poll.UntilAsync(() => Task.FromResult(smtp.ReceivedEmailCount), n => n == 1, what: "the email instead");
        Assert.Equal($"{Store}的消息", smtp.ReceivedEmail[0].Subject);
        Assert.Contains("已完工并通过质检", smtp.ReceivedEmail[0].MessageParts[0].BodyData, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Aliyun")]
    [InlineData("Tencent")]
    public async Task Neither_the_number_nor_the_customers_name_is_written_to_the_log(string provider)
    {
        using var fake = new MainlandSmsFake(provider);
        using var smtp = netDumbster.smtp.Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        var log = new CapturedLog(Microsoft.Extensions.Logging.LogLevel.Trace);
        await using var host = NotifyHost(fake, smtp);
        host.Settings["Logging:LogLevel:Default"] = "Trace";
        host.TestServices = s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(log);
        await Poll.StartAsync(host.Api(), "notify");
        await SmsAsync(host, o => o.Status == OutboxStatus.Sent);
        Assert.Contains(log.Messages, m => m.Contains("HttpClient.sms", StringComparison.Ordinal) && m.Contains("Start processing HTTP request POST", StringComparison.Ordinal)); // the requests are logged…
        Assert.DoesNotContain(log.Messages, m => m.Contains("13800138000", StringComparison.Ordinal) || m.Contains("Li Wei", StringComparison.Ordinal) || m.Contains("%E6", StringComparison.Ordinal)); // …without what they carry
    }

    [Theory]
    [InlineData("Aliyun")]
    [InlineData("Tencent")]
    public async Task A_5xx_is_retried_once_and_the_message_is_accepted_once(string provider)
    {
        using var fake = new MainlandSmsFake(provider) { Unavailable = 1 };
        using var smtp = netDumbster.smtp.Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        await using var host = NotifyHost(fake, smtp);
        await Poll.StartAsync(host.Api(), "notify");
        var sms = await SmsAsync(host, o => o.Attempts == 1 && o.Status == OutboxStatus.Pending);
        Assert.Equal(host.Clock.GetUtcNow().UtcDateTime.AddSeconds(30), sms.NotBefore);
        host.Clock.Advance(TimeSpan.FromSeconds(30));
        await SweepAsync(host);
        sms = await SmsAsync(host, o => o.Status == OutboxStatus.Sent);
        Assert.Equal((2, 2), (sms.Attempts, fake.SendAttempts));
        Assert.Equal(fake.Accepted.Single().Id, sms.ProviderId);
        Assert.Equal(0, smtp.ReceivedEmailCount);
    }

    [Theory]
    [InlineData("Aliyun")]
    [InlineData("Tencent")]
    public async Task When_the_answer_to_an_accepted_send_is_lost_the_query_api_finds_it_and_nothing_is_sent_twice(string provider)
    {
        using var fake = new MainlandSmsFake(provider);
        using var smtp = netDumbster.smtp.Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        await using var host = NotifyHost(fake, smtp);
        host.TestServices = s => s.AddHttpClient(TemplateSmsSender.HttpClientName).AddHttpMessageHandler(() => new LoseAnswerOnce());
        await Poll.StartAsync(host.Api(), "notify");
        await SmsAsync(host, o => o.Attempts == 1 && o.Status == OutboxStatus.Sending && o.NotBefore != null);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await SweepAsync(host);
        var sms = await SmsAsync(host, o => o.Status == OutboxStatus.Sent);
        Assert.Equal((1, 1), (fake.SendAttempts, fake.Accepted.Count));
        Assert.Equal(provider == "Aliyun" ? sms.Id : fake.Accepted.Single().Id, sms.ProviderId);
    }

    [Theory]
    [InlineData("Aliyun")]
    [InlineData("Tencent")]
    public async Task When_the_provider_cannot_be_asked_about_a_lost_answer_nothing_is_sent_until_it_can(string provider)
    {
        using var fake = new MainlandSmsFake(provider) { QueryUnavailable = true };
        using var smtp = netDumbster.smtp.Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        await using var host = NotifyHost(fake, smtp);
        host.TestServices = s => s.AddHttpClient(TemplateSmsSender.HttpClientName).AddHttpMessageHandler(() => new LoseAnswerOnce());
        await Poll.StartAsync(host.Api(), "notify");
        await SmsAsync(host, o => o.Attempts == 1 && o.Status == OutboxStatus.Sending && o.NotBefore != null);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await SweepAsync(host);
        var waiting = await SmsAsync(host, o => o.Status == OutboxStatus.Sending && o.Error == $"{provider} answered 503");
        Assert.Equal((1, 1), (fake.SendAttempts, waiting.Attempts));

        fake.QueryUnavailable = false;
        host.Clock.Advance(TimeSpan.FromMinutes(10));
        await SweepAsync(host);
        await SmsAsync(host, o => o.Status == OutboxStatus.Sent);
        Assert.Equal((1, 1), (fake.SendAttempts, fake.Accepted.Count));
        Assert.Equal(0, smtp.ReceivedEmailCount);
    }

    [Theory]
    [InlineData("Aliyun")]
    [InlineData("Tencent")]
    public async Task A_number_the_provider_refuses_fails_at_once_with_its_code_and_a_text_without_a_template_is_not_sent(string provider)
    {
        using var fake = new MainlandSmsFake(provider) { RefusedNumber = provider == "Aliyun" ? "13800138000" : "+8613800138000" };
        using var smtp = netDumbster.smtp.Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        await using var host = NotifyHost(fake, smtp);
        await Poll.StartAsync(host.Api(), "notify");
        var sms = await SmsAsync(host, o => o.Status == OutboxStatus.Failed);
        Assert.Equal(provider == "Aliyun" ? "isv.MOBILE_NUMBER_ILLEGAL" : "InvalidParameterValue.IncorrectPhoneNumber", sms.ErrorCode);
        Assert.Equal(1, fake.SendAttempts);
        await Poll.UntilAsync(() => Task.FromResult(smtp.ReceivedEmailCount), n => n == 1, what: "the email instead");

        await using var free = NotifyHost(fake, smtp, template: "");
        await Poll.StartAsync(free.Api(), "notify");
        var unsent = await SmsAsync(free, o => o.Status == OutboxStatus.Failed);
        Assert.Equal("no-template", unsent.ErrorCode);
        Assert.Contains("sends only registered templates", unsent.Error, StringComparison.Ordinal);
        Assert.Equal(1, fake.SendAttempts);
        await Poll.UntilAsync(() => Task.FromResult(smtp.ReceivedEmailCount), n => n == 2, what: "the second email instead");
    }

    private static string Estimate(string id) => Workflow(id,
        [Activity("start", "Elsa.Start"),
         Activity("approval", "Followup.EstimateApproval", string.Join(",",
             Input("customerName", "String", "Li Wei"), Input("phone", "String", "13800138000"), Input("email", "String", "li.wei@example.com"), Input("language", "String", "zh-CN"),
             Input("lines", "String", """[{ "id": "OIL", "description": "Oil change", "labour": 160, "parts": 320 }]"""), Input("expiresIn", "TimeSpan", "1.00:00:00"))),
         Activity("end", "Elsa.End")],
        [Connection("start", "approval"), Connection("approval", "end", "Approved")]);

    [Fact]
    public async Task An_estimate_whose_text_is_refused_goes_by_email_and_the_advisor_is_asked_to_call_at_once_and_its_short_link_expires()
    {
        using var fake = new MainlandSmsFake("Aliyun") { RefusedNumber = "13800138000" };
        using var smtp = netDumbster.smtp.Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        await using var host = NotifyHost(fake, smtp);
        File.WriteAllText(Path.Combine(host.Folder, "workflows", "estimate.json"), Estimate("estimate"));
        await host.AddStaffAsync("wang", "advisor-pass-2026", Followup.Host.Security.Roles.Advisor);
        (await host.Api().PostAsJsonAsync("/elsa/api/workflow-definitions/estimate/execute", new { correlationId = "RO-1" })).EnsureSuccessStatusCode();
        var sms = await SmsAsync(host, o => o.Status == OutboxStatus.Failed);
        Assert.Equal((SmsTemplates.EstimateApproval, "isv.MOBILE_NUMBER_ILLEGAL"), (MessagePayload.FromJson(sms.Payload).Template, sms.ErrorCode));

        // The advisor is asked to call now, not when the link would have expired tomorrow.
        var advisor = await host.SignedInAsync("wang", "advisor-pass-2026");
        var task = await Poll.UntilAsync(async () => (await advisor.GetFromJsonAsync<JsonElement>("/api/tasks")).GetProperty("items").EnumerateArray().ToList(), l => l.Count == 1, what: "the call task");
        Assert.Equal("致电客户确认维修估价单（第1/3次）：Li Wei · RO-1", task[0].GetProperty("title").GetString());
        Assert.StartsWith("发给客户的维修估价单短信未能送达", task[0].GetProperty("instructions").GetString(), StringComparison.Ordinal);

        // The link went by email instead, short, and it opens the estimate until it expires.
        await Poll.UntilAsync(() => Task.FromResult(smtp.ReceivedEmailCount), n => n == 1, what: "the link by email");
        var mail = smtp.ReceivedEmail[0].MessageParts[0].BodyData;
        var phone = host.NoRedirectClient();
        phone.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var link = await ShortLink.PathAsync(phone, mail);
        Assert.StartsWith("/c/", link, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync(link)).StatusCode);
        var unknown = await phone.GetAsync("/s/Zz9Zz9Zz");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("This link is not valid", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await phone.GetAsync("/s/short")).StatusCode);
        using (var chinese = new HttpRequestMessage(HttpMethod.Get, "/s/Zz9Zz9Zz") { Headers = { { "Accept-Language", "zh-CN" } } })
            Assert.Contains("此链接无效", await (await host.CreateClient().SendAsync(chinese)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        host.Clock.Advance(TimeSpan.FromDays(31));
        var expired = await phone.GetAsync(new Uri(ShortLink.Pattern().Match(mail).Value).PathAndQuery);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("This link has expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customer_without_a_number_to_text_gets_the_message_by_email()
    {
        using var fake = new MainlandSmsFake("Tencent");
        using var smtp = netDumbster.smtp.Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        await using var host = NotifyHost(fake, smtp, to: "");
        await Poll.StartAsync(host.Api(), "notify");
        await Poll.UntilAsync(() => Task.FromResult(smtp.ReceivedEmailCount), n => n == 1, what: "the email");
        Assert.Equal($"{Store}的消息", smtp.ReceivedEmail[0].Subject);
        Assert.DoesNotContain(await host.Outbox.ListAsync(null, 10, CancellationToken.None), o => o.Channel == Channels.Sms);
        Assert.Equal(0, fake.SendAttempts);
    }
}
