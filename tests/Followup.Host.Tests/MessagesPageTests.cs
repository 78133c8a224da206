namespace Followup.Host.Tests;

/// <summary>The messages page names the customer and the visit, in store time, and finds messages by customer, phone, visit or text.</summary>
public sealed class MessagesPageTests
{
    [Fact]
    public async Task Staff_find_a_customers_messages_by_name_phone_or_visit()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (_, first) = await desk.CustomerAsync("Customer 96", "+86 139 2000 0096", null, "en", 96, 20000, "沪A96096");
        var (_, second) = await desk.CustomerAsync("Customer 97", "+86 139 2000 0097", null, "en", 97, 20000, "沪A97097");
        var (_, number) = await desk.WalkInAsync(first);
        await desk.CheckInAsync(number, "", "OIL");
        var (_, other) = await desk.WalkInAsync(second);
        await desk.CheckInAsync(other, "", "OIL");
        await desk.SentAsync("sms", "your service estimate is ready", other);
        var advisor = await desk.StaffAsync("wang");

        foreach (var query in new[] { "Customer 96", "2000 0096", number })
        {
            var page = System.Net.WebUtility.HtmlDecode(await advisor.GetStringAsync($"/messages?lang=en&q={Uri.EscapeDataString(query)}"));
            Assert.Contains("Customer 96<br><span class=\"hint\">+8613920000096</span>", page);
            Assert.Contains($"<a href=\"/visits/{number}\">{number}</a>", page);
            Assert.Contains("03-02 17:00", page); // 09:00 UTC is 17:00 in Shanghai
            Assert.DoesNotContain("Customer 97", page);
            // Each SMS says how long it is on the network: an English estimate text with its link takes two GSM-7 segments or more.
            Assert.Matches(@"<span class=""hint sms-length"">\d+ characters · \d+ segments?( \(Unicode\))?</span>", page);
        }
        var zh = System.Net.WebUtility.HtmlDecode(await advisor.GetStringAsync($"/messages?lang=zh-CN&q={Uri.EscapeDataString(number)}"));
        Assert.Matches(@"<span class=""hint sms-length"">\d+ 字 · \d+ 条", zh);
        Assert.Contains("Nothing yet.", await advisor.GetStringAsync("/messages?lang=en&q=nobody-at-all"));
        var all = await advisor.GetStringAsync("/messages?lang=en");
        Assert.Contains("Customer 96", all);
        Assert.Contains("Customer 97", all);
    }
}
