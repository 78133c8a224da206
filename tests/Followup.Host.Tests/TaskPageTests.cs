using System.Net;
using System.Net.Http.Json;

namespace Followup.Host.Tests;

/// <summary>Each task page shows what its step needs: the catalog with prices to choose from, the lines to work and to leave, the bill to explain.</summary>
public sealed class TaskPageTests
{
    [Fact]
    public async Task The_needs_form_offers_the_catalog_with_prices_the_work_page_the_decided_lines_and_settlement_the_bill()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var manager = await desk.StaffAsync("liu");
        var added = await manager.PutAsJsonAsync("/api/catalog/DPF", new { nameZh = "清洗颗粒捕集器", nameEn = "Particulate filter clean", labourHours = 1.0m, partsPrice = 50m, menuPrice = 250m });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var (_, vehicleId) = await desk.CustomerAsync("Customer 95", "+86 139 2000 0095", null, "en", 95, 20000, "沪A95095");
        var (_, number) = await desk.WalkInAsync(vehicleId);
        await desk.CompleteAsync("wang", number, "reception", "Done", new { greeted = "true" });
        await desk.CompleteAsync("wang", number, "preInspection", "Done", new { odometer = "20100", fuel = "3/4", covers = "true", wash = "no", waiting = "wait", acknowledged = "true" });

        // The item added to the catalog a moment ago is offered, every item with its menu price, in the reader's language.
        var advisor = await desk.StaffAsync("wang");
        var needs = (await desk.TaskAsync("wang", number, "needs")).GetProperty("id").GetString();
        var form = WebUtility.HtmlDecode(await advisor.GetStringAsync($"/inbox/{needs}?lang=en"));
        Assert.Contains("value=\"DPF\" /> Particulate filter clean (¥250.00)", form);
        Assert.Contains("value=\"OIL\" /> Oil and oil filter change (¥480.00)", form);
        Assert.Contains("value=\"DPF\" /> 清洗颗粒捕集器（¥250.00）", WebUtility.HtmlDecode(await advisor.GetStringAsync($"/inbox/{needs}?lang=zh-CN")));
        await desk.CompleteAsync("wang", number, "needs", "Done", new { concerns = "", services = "OIL,BRAKEF,DPF", warranty = "NotCovered", signed = "true" });
        await desk.ApproveByLinkAsync(number, "your service estimate is ready", ["OIL", "DPF"]);
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });

        // The technician sees what to do and what to leave.
        var work = (await desk.TaskAsync("zhang", number, "work")).GetProperty("id").GetString();
        var workPage = WebUtility.HtmlDecode(await (await desk.StaffAsync("zhang")).GetStringAsync($"/inbox/{work}?lang=en"));
        Assert.Contains("<td>Particulate filter clean</td><td>¥250.00</td><td>✓ approved</td>", workPage);
        Assert.Contains("<td>Front brake pads · safety</td><td>¥820.00</td><td>✗ declined</td>", workPage);
        await desk.CompleteAsync("zhang", number, "work", "WorkDone", new { });
        await desk.CompleteAsync("zhou", number, "qualityCheck", "Passed", new { });

        // The advisor explains the bill line by line.
        var settlement = (await desk.TaskAsync("wang", number, "settlement")).GetProperty("id").GetString();
        var bill = WebUtility.HtmlDecode(await advisor.GetStringAsync($"/inbox/{settlement}?lang=en"));
        Assert.Contains("Invoice INV-", bill);
        Assert.Contains("<td>Oil and oil filter change</td><td>¥480.00</td><td>approved ¥480.00</td>", bill);
        Assert.Contains("<td>Particulate filter clean</td><td>¥250.00</td><td>approved ¥250.00</td>", bill);
        Assert.DoesNotContain("<td>Front brake pads</td><td>¥820.00</td><td>approved", bill);
    }
}
