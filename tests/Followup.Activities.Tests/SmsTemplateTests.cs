using Followup.Activities.Messaging;
using static Followup.Workflows.Tests.Json;

namespace Followup.Activities.Tests;

/// <summary>The message kinds registered with mainland providers: their texts, their length, the page that lists them, and the settings that map them.</summary>
public sealed class SmsTemplateTests
{
    /// <summary>Values of a realistic length: the ones docs/sms-templates.md measures with.</summary>
    private static readonly Dictionary<string, string> Sample = new()
    {
        ["name"] = "李先生", ["plate"] = "沪A12345", ["time"] = "2026-03-05 10:00", ["place"] = "浦东大众4S店", ["service"] = "保养", ["phone"] = "021-58881234",
        ["amount"] = "¥630.00", ["hours"] = "08:30–18:00", ["total"] = "¥80.00", ["link"] = "https://fw.pdvw.cn/s/Ab3dE9xK", ["date"] = "2026-09-01", ["work"] = "前刹车片、雨刮片",
    };

    private static string AsReceived(SmsTemplate template) => "【浦东大众4S店】" + template.Render(Sample);

    [Fact]
    public void Every_text_that_asks_for_an_answer_by_link_fits_one_segment_and_none_takes_more_than_two()
    {
        foreach (var template in SmsTemplates.All)
        {
            var length = SmsLength.Of(AsReceived(template));
            Assert.True(length.Segments <= 2, $"{template.Kind}: {length.Units} characters");
            if (template.NeedsAnswer && template.Parameters.Contains("link"))
                Assert.True(length.Segments == 1, $"{template.Kind}: {length.Units} characters, {AsReceived(template)}");
            if (template.Marketing)
                Assert.EndsWith("回复TD退订", template.Text, StringComparison.Ordinal);
        }
        Assert.Equal(21, SmsTemplates.All.Count);
        Assert.Equal(SmsTemplates.All.Count, SmsTemplates.Kinds.Count());
    }

    [Fact]
    public void Tencent_numbers_the_parameters_in_their_order_and_a_missing_value_is_left_empty()
    {
        var booked = SmsTemplates.Find(SmsTemplates.AppointmentBooked)!;
        Assert.Equal(["name", "time", "place", "plate", "service"], booked.Parameters);
        Assert.StartsWith("{1}您好，您已预约{2}到{3}（{4}，{5}）。", booked.Numbered, StringComparison.Ordinal);
        Assert.Equal("您好，您的到店预约已取消。", SmsTemplates.Find(SmsTemplates.AppointmentCancelledNoPhone)!.Render(null));
        Assert.Null(SmsTemplates.Find("no-such-kind"));
    }

    [Fact]
    public void The_page_a_store_registers_from_lists_every_text_as_written_here_with_its_measured_length()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Followup.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Followup.sln not found above the test's folder");
        var page = File.ReadAllText(Path.Combine(root, "docs", "sms-templates.md"));
        foreach (var template in SmsTemplates.All)
        {
            Assert.Contains($"| `{template.Kind}` | ", page, StringComparison.Ordinal);
            Assert.Contains($" | {template.Text} | {template.Numbered} | {string.Join(", ", template.Parameters)} |", page, StringComparison.Ordinal);
            var length = SmsLength.Of(AsReceived(template));
            Assert.Contains($"| `{template.Kind}` | {length.Units} | {length.Segments} |", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_mainland_provider_needs_its_keys_a_callback_secret_and_a_template_for_every_kind()
    {
        Assert.Empty(new SmsOptions().Problems());
        Assert.Empty(new SmsOptions { Provider = "Twilio" }.Problems());
        Assert.Equal(["Provider: Twilio, Aliyun or Tencent (or empty), not 'Aliyn'."], new SmsOptions { Provider = "Aliyn" }.Problems());

        var aliyun = new SmsOptions { Provider = "Aliyun", Aliyun = { Templates = { [SmsTemplates.VehicleReady] = "SMS_1", ["vehicle-redy"] = "SMS_2" } } };
        var problems = aliyun.Problems().ToList();
        Assert.Contains(problems, p => p.StartsWith("CallbackToken:", StringComparison.Ordinal));
        Assert.Contains("Aliyun:AccessKeyId: needed to send through Aliyun.", problems);
        Assert.Contains("Aliyun:AccessKeySecret: needed to send through Aliyun.", problems);
        Assert.Contains(problems, p => p.StartsWith("Aliyun:Templates: the approved template id of every message kind; missing appointment-booked,", StringComparison.Ordinal) && !p.Contains("vehicle-ready", StringComparison.Ordinal));
        Assert.Contains("Aliyun:Templates: no message kind is called vehicle-redy.", problems);

        var tencent = new SmsOptions
        {
            Provider = "Tencent", CallbackToken = new string('x', 32),
            Tencent = { SecretId = "id", SecretKey = "key", SdkAppId = "1400000001", Templates = SmsTemplates.Kinds.ToDictionary(k => k, k => "1") },
        };
        Assert.Empty(tencent.Problems());
        tencent.Tencent.SdkAppId = null;
        Assert.Equal(["Tencent:SdkAppId: needed to send through Tencent."], tencent.Problems());
    }

    private static string Sms(string template, string parameters) => Activity("step", "Followup.SendSms", string.Join(",",
        Input("to", "String", ActivityHarness.Phone), Input("language", "String", "zh-CN"), Input("textZhCn", "String", "您的爱车已完工。"),
        Input("template", "String", template), Input("parameters", "String", parameters)));

    [Fact]
    public async Task A_send_sms_step_names_its_kind_and_values_and_a_wrong_kind_or_values_fault_it_with_what_is_wrong()
    {
        await using var h = await ActivityHarness.OpenAsync();
        await h.RunAsync(Sms(SmsTemplates.VehicleReady, """{ "name": "{{ 'Li' | append: ' Wei' }}", "plate": "沪A12345" }"""));
        var sent = MessagePayload.FromJson(Assert.Single(await h.MessagesAsync()).Payload);
        Assert.Equal((SmsTemplates.VehicleReady, "Li Wei", "沪A12345"), (sent.Template, sent.Parameters!["name"], sent.Parameters["plate"]));

        var wrongKind = await h.RunAsync(Sms("vehicle-redy", "{}"));
        Assert.Equal(Workflows.Runtime.WorkflowSubStatus.Faulted, wrongKind.SubStatus);
        Assert.Contains("'vehicle-redy' is not a message kind; the kinds are appointment-booked,", wrongKind.Incidents.Single().Message, StringComparison.Ordinal);
        var notJson = await h.RunAsync(Sms(SmsTemplates.VehicleReady, "name: Li"));
        Assert.Contains("The template's values are not JSON", notJson.Incidents.Single().Message, StringComparison.Ordinal);
        var notObject = await h.RunAsync(Sms(SmsTemplates.VehicleReady, "[1]"));
        Assert.Contains("The template's values are a JSON object", notObject.Incidents.Single().Message, StringComparison.Ordinal);
        Assert.Single(await h.MessagesAsync());
    }

    [Fact]
    public void A_staff_notice_goes_by_sms_with_the_email_behind_it_by_email_without_a_number_to_text_and_not_at_all_without_either()
    {
        var store = new Service.StoreOptions { Name = "浦东大众4S店" };
        var visit = new Data.Visit { Id = "v1", Number = "RO-1", CustomerId = "c1", VehicleId = "car1", PromisedAt = new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc) };
        var at = new DateTime(2026, 3, 2, 8, 0, 0, DateTimeKind.Utc);
        Data.Customer Customer(bool sms, bool email) => new() { Id = "c1", Name = "李先生", Phone = "+8613800138000", Email = "li@example.com", SmsConsent = sms, EmailConsent = email };
        OutboxRecord? Notice(Data.Customer customer) => CustomerNotices.PromisedTimeChanged(store, new SmsOptions(), customer, visit, "沪A12345", "2026-03-02 17:00", at);

        var sms = Notice(Customer(sms: true, email: true))!;
        var payload = MessagePayload.FromJson(sms.Payload);
        Assert.Equal((Channels.Sms, "+8613800138000", "li@example.com", SmsTemplates.PromisedTimeChanged), (sms.Channel, sms.Recipient, payload.FallbackEmail, payload.Template));
        Assert.Equal("【浦东大众4S店】李先生您好，您的爱车沪A12345的预计完工时间调整为2026-03-02 17:00，给您带来不便，敬请谅解。", payload.Text);

        var email = Notice(Customer(sms: false, email: true))!;
        var mail = MessagePayload.FromJson(email.Payload);
        Assert.Equal((Channels.Email, "li@example.com", "浦东大众4S店的消息"), (email.Channel, email.Recipient, mail.Subject));
        Assert.Equal("李先生您好，您的爱车沪A12345的预计完工时间调整为2026-03-02 17:00，给您带来不便，敬请谅解。\n\n浦东大众4S店", mail.Text);

        Assert.Null(Notice(Customer(sms: false, email: false)));
        Assert.Null(CustomerNotices.AppointmentCancelled(store, new SmsOptions(), Customer(sms: false, email: false), new Data.Appointment { Id = "a1", CustomerId = "c1", VehicleId = "car1" }, "2026-03-05 10:00", at));
    }
}
