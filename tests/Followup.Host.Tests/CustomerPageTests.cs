using System.Net;
using System.Text.RegularExpressions;

namespace Followup.Host.Tests;

/// <summary>The customer's approval page on their phone: whose car, which store, until when; a refusal keeps their choices; a used link shows what they decided.</summary>
public sealed class CustomerPageTests
{
    [Fact]
    public async Task The_page_names_the_store_car_and_expiry_keeps_unticked_lines_on_a_refusal_and_shows_the_decision_once_used()
    {
        await using var desk = await ServiceDesk.OpenAsync(host => (host.Settings["Store:Phone"], host.Settings["Store:CurrencySymbol"]) = ("021-5555 0100", "CN¥"));
        var (_, vehicleId) = await desk.CustomerAsync("Customer 81", "+86 139 2000 0081", null, "en", 81, 20000, "沪A81081");
        var (_, number) = await desk.WalkInAsync(vehicleId);
        await desk.CheckInAsync(number, "", "OIL,BRAKEF");
        var link = await desk.LinkAsync(number, "your service estimate is ready");
        var phone = desk.Host.CreateClient(desk.Host.ClientOptionsFor());

        var page = WebUtility.HtmlDecode(await phone.GetStringAsync(link));
        Assert.Contains("Pudong VW", page);
        Assert.Contains($"Customer 81 · {number} · 沪A81081", page);
        Assert.Matches(@"This link is valid until 2026-03-0\d \d\d:\d\d", page);
        Assert.Contains("CN¥480.00", page);
        Assert.Contains("tel:021-5555 0100", page);
        Assert.DoesNotContain("¥480.00<", page.Replace("CN¥480.00", ""));
        var lines = Regex.Matches(page, "name=\"line\" value=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, lines.Count);

        // The customer unticks the brake pads and forgets the name: the page comes back with the pads still unticked.
        var refused = await phone.PostAsync(link, new FormUrlEncodedContent(
            [new("__RequestVerificationToken", HostFactory.AntiforgeryToken(page)), new("decision", "approve"), new("line", lines[0])]));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var again = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Matches($"value=\"{lines[0]}\" data-price=\"[0-9.]+\" checked", again);
        Assert.Matches($"value=\"{lines[1]}\" data-price=\"[0-9.]+\">", again);
        Assert.Contains("<span id=\"total\">480.00</span>", again);

        var approved = await phone.PostAsync(link, new FormUrlEncodedContent(
            [new("__RequestVerificationToken", HostFactory.AntiforgeryToken(again)), new("decision", "approve"), new("line", lines[0]), new("signedName", "Customer 81"), new("consent", "true")]));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        var used = await phone.GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, used.StatusCode);
        var decided = WebUtility.HtmlDecode(await used.Content.ReadAsStringAsync());
        Assert.Contains("You approved:", decided);
        Assert.Contains("Oil and oil filter change · CN¥480.00", decided);
        Assert.DoesNotContain("Front brake pads", decided);
    }
}
