using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Followup.Activities.Messaging;

namespace Followup.Host.Tests;

/// <summary>Appointments that change: cancelled by the desk or by the customer's reply, moved to another slot.</summary>
public sealed class AppointmentChangeTests
{
    private static string S(JsonElement e, string name) => e.GetProperty(name).ToString();

    // The fake clock starts at 2026-03-02 09:00Z (17:00 in Shanghai); the slots are on Thursday the 5th.
    private static async Task<(string Id, string Phone)> BookedAsync(ServiceDesk desk, string language, int serial, string slot = "2026-03-05T02:00:00Z")
    {
        var phone = $"+86 137 3000 {serial:D4}";
        var (customerId, vehicleId) = await desk.CustomerAsync($"Customer {serial}", phone, null, language, serial, 30000, $"浙A{serial:D5}");
        var booked = await desk.Api.PostAsJsonAsync("/api/appointments", new { customerId, vehicleId, slotAt = slot, advisor = "wang" });
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        return ((await booked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!, "+861373000" + serial.ToString("D4", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<string> StatusAsync(ServiceDesk desk, string id) =>
        S((await desk.Api.GetFromJsonAsync<JsonElement>("/api/appointments?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z")).GetProperty("items").EnumerateArray().Single(a => S(a, "id") == id), "status");

    [Fact]
    public async Task The_desk_cancels_with_a_reason_the_customer_is_told_and_no_reminder_or_no_show_follows()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (id, _) = await BookedAsync(desk, "en", 41);
        await desk.SentAsync(Channels.Sms, "is booked for 2026-03-05 10:00", id);

        var noReason = await desk.Api.PostAsJsonAsync($"/api/appointments/{id}/cancel", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("Booked", await StatusAsync(desk, id));
        var cancelled = await desk.Api.PostAsJsonAsync($"/api/appointments/{id}/cancel", new { reason = "The customer called: car sold" });
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("Cancelled", await StatusAsync(desk, id));
        await desk.SentAsync(Channels.Sms, "your appointment on 2026-03-05 10:00 is cancelled", id);
        Assert.Equal(HttpStatusCode.Conflict, (await desk.Api.PostAsJsonAsync($"/api/appointments/{id}/cancel", new { reason = "again" })).StatusCode);

        await desk.AdvanceAsync(TimeSpan.FromDays(4));
        Assert.DoesNotContain(await desk.MessagesAsync(id), m => ServiceDesk.Text(m).Contains("a reminder", StringComparison.Ordinal));
        Assert.Empty(await desk.OpenTasksAsync("wang", id));
        Assert.Equal("Cancelled", await StatusAsync(desk, id));
    }

    [Fact]
    public async Task A_customer_who_replies_cancel_cancels_the_next_appointment_and_stays_subscribed()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (id, phone) = await BookedAsync(desk, "zh-CN", 42);
        var confirmation = await desk.SentAsync(Channels.Sms, "如需取消请回复“取消”", id);
        Assert.StartsWith("【浦东大众4S店】Customer 42您好，您已预约2026-03-05 10:00到浦东大众4S店（浙A00042，保养）。", ServiceDesk.Text(confirmation), StringComparison.Ordinal);

        var reply = await TwilioRequests.PostSignedAsync(desk.Host.CreateClient(), "http://localhost:5080", "/twilio/inbound",
            new Dictionary<string, string> { ["MessageSid"] = "SM-cancel-1", ["From"] = phone, ["To"] = ServiceDesk.TwilioFrom, ["Body"] = "取消。" }, "process-test-token");
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Contains("Customer 42您好，您2026-03-05 10:00的到店预约已取消。", await reply.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Cancelled", await StatusAsync(desk, id));
        Assert.False(await desk.Host.Consents.IsOptedOutAsync(Channels.Sms, phone, CancellationToken.None));

        await desk.AdvanceAsync(TimeSpan.FromDays(4));
        Assert.DoesNotContain(await desk.MessagesAsync(id), m => ServiceDesk.Text(m).Contains("提醒您", StringComparison.Ordinal));
        Assert.Empty(await desk.OpenTasksAsync("wang", id));
    }

    [Fact]
    public async Task A_moved_appointment_is_confirmed_again_and_reminded_and_awaited_at_its_new_time_only()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (id, _) = await BookedAsync(desk, "zh-CN", 43);
        await desk.SentAsync(Channels.Sms, "您已预约2026-03-05 10:00", id);

        var past = await desk.Api.PostAsJsonAsync($"/api/appointments/{id}/reschedule", new { slotAt = "2026-03-01T02:00:00Z" });
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        var moved = await desk.Api.PostAsJsonAsync($"/api/appointments/{id}/reschedule", new { slotAt = "2026-03-07T06:00:00Z" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        await desk.SentAsync(Channels.Sms, "您已预约2026-03-07 14:00", id);

        // The day before the old slot: no reminder for it; the day before the new one: the reminder names the date, not "tomorrow".
        await desk.AdvanceAsync(TimeSpan.FromDays(2) + TimeSpan.FromHours(17)); // 2026-03-05 02:00Z, the old slot
        Assert.DoesNotContain(await desk.MessagesAsync(id), m => ServiceDesk.Text(m).Contains("提醒您", StringComparison.Ordinal));
        await desk.AdvanceAsync(TimeSpan.FromHours(1)); // past the old slot's grace: no no-show
        Assert.Empty(await desk.OpenTasksAsync("wang", id));
        await desk.AdvanceAsync(TimeSpan.FromDays(1) + TimeSpan.FromHours(3)); // 2026-03-06 06:00Z
        var reminder = await desk.SentAsync(Channels.Sms, "提醒您已预约2026-03-07 14:00到浦东大众4S店", id);
        Assert.DoesNotContain("明天", ServiceDesk.Text(reminder), StringComparison.Ordinal);
        Assert.Equal("Booked", await StatusAsync(desk, id));
        await desk.AdvanceAsync(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(31)); // the new slot's grace is over
        await desk.TaskAsync("wang", id, "noShow");
        Assert.Equal("NoShow", await StatusAsync(desk, id));
    }
}
