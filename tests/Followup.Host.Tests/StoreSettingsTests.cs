using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Followup.Activities.Data;
using Followup.Host.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Host.Tests;

/// <summary>A manager's store settings: refused with reasons and nothing changed, or in effect at once for bookings, prices and messages.</summary>
public sealed class StoreSettingsTests
{
    private static Dictionary<string, string> Form(string token, string closesMonday = "17:00", string capacity = "1") => new()
    {
        ["__RequestVerificationToken"] = token,
        ["name"] = "浦东大众", ["nameEn"] = "Pudong VW", ["address"] = "上海市浦东新区 1 号", ["phone"] = "021-5555 0100", ["timeZone"] = "Asia/Shanghai",
        ["opens.Mon"] = "09:00", ["closes.Mon"] = closesMonday, ["opens.Tue"] = "09:00", ["closes.Tue"] = "17:00", ["opens.Wed"] = "09:00", ["closes.Wed"] = "17:00",
        ["opens.Thu"] = "09:00", ["closes.Thu"] = "17:00", ["opens.Fri"] = "09:00", ["closes.Fri"] = "17:00", ["opens.Sat"] = "09:00", ["closes.Sat"] = "12:00",
        ["closed.Sun"] = "true", ["slotCapacity"] = capacity, ["labourRate"] = "350", ["currency"] = "HK$",
    };

    [Fact]
    public async Task A_manager_saves_the_stores_settings_and_bookings_prices_and_messages_follow_them()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var manager = await desk.StaffAsync("liu");
        var page = await manager.GetStringAsync("/settings?lang=en");
        Assert.Contains("value=\"浦东大众4S店\"", page);

        // Closing before opening and no capacity: refused, each named, nothing saved.
        var refused = await manager.PostAsync("/settings?lang=en", new FormUrlEncodedContent(Form(HostFactory.AntiforgeryToken(page), closesMonday: "08:00", capacity: "0")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var answer = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Opening before closing", answer);
        Assert.Contains("Bookings per hourly slot: 1–100.", answer);
        Assert.Contains("value=\"浦东大众4S店\"", await manager.GetStringAsync("/settings?lang=en"));

        var saved = await manager.PostAsync("/settings?lang=en", new FormUrlEncodedContent(Form(HostFactory.AntiforgeryToken(page))));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("Saved; in effect now.", await saved.Content.ReadAsStringAsync());

        // The desk's slots: none on Sunday, Saturday until noon, one booking each.
        var frontDesk = desk.Host.Services.GetRequiredService<FrontDesk>();
        await using (var db = await desk.Host.Services.GetRequiredService<IDbContextFactory<DealershipDbContext>>().CreateDbContextAsync())
        {
            var slots = await frontDesk.SlotsAsync(db, 0, 7, CancellationToken.None);
            var days = slots.Select(s => TimeZoneInfo.ConvertTimeFromUtc(s.At, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"))).GroupBy(t => t.DayOfWeek).ToDictionary(g => g.Key, g => g.Select(t => t.Hour).ToList());
            Assert.False(days.ContainsKey(DayOfWeek.Sunday));
            Assert.Equal([9, 10, 11], days[DayOfWeek.Saturday]);
            Assert.All(slots, s => Assert.Equal(1, s.Capacity));
        }

        // Capacity 1: the advisor's second booking of a slot is refused; a manager books over it only when saying so.
        var (customerId, vehicleId) = await desk.CustomerAsync("Customer 91", "+86 139 2000 0091", null, "en", 91, 20000, "沪A91091");
        var slot = "2026-03-03T02:00:00Z"; // Tuesday 10:00 in Shanghai
        var advisor = await desk.StaffAsync("wang");
        Assert.Equal(HttpStatusCode.Created, (await advisor.PostAsJsonAsync("/api/appointments", new { customerId, vehicleId, slotAt = slot })).StatusCode);
        var full = await advisor.PostAsJsonAsync("/api/appointments", new { customerId, vehicleId, slotAt = slot, @override = true });
        Assert.Equal(HttpStatusCode.Conflict, full.StatusCode);
        Assert.Contains("1 of 1 bookings taken", await full.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await manager.PostAsJsonAsync("/api/appointments", new { customerId, vehicleId, slotAt = slot })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await manager.PostAsJsonAsync("/api/appointments", new { customerId, vehicleId, slotAt = slot, @override = true })).StatusCode);

        // The same at the desk: the advisor is told to choose another time; the manager without the tick is told to tick it.
        var customerPage = await advisor.GetStringAsync($"/desk/customers/{customerId}?lang=en");
        var deskForm = new Dictionary<string, string> { ["__RequestVerificationToken"] = HostFactory.AntiforgeryToken(customerPage), ["slot"] = slot };
        var atDesk = await advisor.PostAsync($"/desk/vehicles/{vehicleId}/book?lang=en", new FormUrlEncodedContent(deskForm));
        Assert.Equal(HttpStatusCode.BadRequest, atDesk.StatusCode);
        Assert.Contains("That time is full (2 of 1); choose another or ask a manager.", await atDesk.Content.ReadAsStringAsync());
        var managerPage = await manager.GetStringAsync($"/desk/customers/{customerId}?lang=en");
        deskForm["__RequestVerificationToken"] = HostFactory.AntiforgeryToken(managerPage);
        var untick = await manager.PostAsync($"/desk/vehicles/{vehicleId}/book?lang=en", new FormUrlEncodedContent(deskForm));
        Assert.Contains("Tick &quot;book over capacity&quot; to book it anyway.", await untick.Content.ReadAsStringAsync());
        deskForm["override"] = "true";
        Assert.Equal(HttpStatusCode.Redirect, (await manager.PostAsync($"/desk/vehicles/{vehicleId}/book", new FormUrlEncodedContent(deskForm))).StatusCode);

        // The store's labour rate prices diagnosis; its name signs the texts; its currency is on the customer's page.
        var (visitId, number) = await desk.WalkInAsync(vehicleId);
        await desk.CheckInAsync(number, "Brakes squeak", "OIL");
        var lines = (await desk.VisitAsync(visitId)).GetProperty("estimates")[0].GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(175m, lines.Single(l => l.GetProperty("lineKey").GetString()!.StartsWith("diag-", StringComparison.Ordinal)).GetProperty("labour").GetDecimal());
        var sms = await desk.SentAsync("sms", "your service estimate is ready", number);
        Assert.StartsWith("Pudong VW: ", ServiceDesk.Text(sms));
        var phone = desk.Host.CreateClient(desk.Host.ClientOptionsFor());
        Assert.Contains("HK$480.00", await phone.GetStringAsync(await desk.LinkAsync(number, "your service estimate is ready")));
    }
}
