using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Followup.Host.Tests;

/// <summary>The pages the process paths changed, in headless Chromium, in both languages: the safety note, declined work, the reminder call's choices.</summary>
public sealed class ProcessPagesBrowserTests
{
    [Fact]
    public async Task An_advisor_reads_the_declined_safety_work_and_records_a_reminder_call_in_either_language()
    {
        await using var desk = await ServiceDesk.OpenAsync(browser: true);
        var (_, vehicleId) = await desk.CustomerAsync("Customer 51", "+86 139 2000 0051", null, "en", 51, 20000, "苏E00051");
        var (visitId, number) = await desk.WalkInAsync(vehicleId);
        await desk.CheckInAsync(number, "", "OIL,BRAKEF");
        await desk.RepairAndDeliverAsync(number, approved: ["OIL"]);
        await desk.AdvanceAsync(TimeSpan.FromDays(167)); // the reminder
        await desk.AdvanceAsync(TimeSpan.FromDays(7)); // nothing booked: the follow-up call
        await desk.TaskAsync("wang", number, "reminder");

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(desk.Address + $"/visits/{number}?lang=zh-CN");
        await page.FillAsync("input[name=UserName]", "wang");
        await page.FillAsync("input[name=Password]", "wang-pass-2026");
        await page.ClickAsync("button[type=submit]");

        await page.GotoAsync(desk.Address + $"/visits/{number}?lang=zh-CN");
        await Assertions.Expect(page.GetByText("⚠ 客户未同意以下涉及行车安全的项目：Front brake pads")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("结算单注明: Customer declined safety-related work: Front brake pads")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsFolder, "visit-safety-zh.png"), FullPage = true });
        await page.GotoAsync(desk.Address + $"/visits/{number}?lang=en");
        await Assertions.Expect(page.GetByText("⚠ Customer declined safety-related work: Front brake pads")).ToBeVisibleAsync();

        // The reminder's follow-up call: the result's choices are words, in the page's language.
        await page.GotoAsync(desk.Address + "/inbox/?lang=zh-CN");
        // The customer reads English; the advisor reads the task in Chinese.
        await page.GetByText("保养提醒跟进：Customer 51").First.ClickAsync();
        var options = await page.Locator("select[name=result] option").AllInnerTextsAsync();
        Assert.Equal(["请选择", "已预约", "稍后再联系（填写日期）", "不需要", "未接通"], options);
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("保养提醒跟进：Customer 51");
        await page.GotoAsync(page.Url.Split('?')[0] + "?lang=en");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Service reminder follow-up: Customer 51");
        Assert.Equal(["Choose", "Booked", "Call again later (give the date)", "Does not want it", "Could not reach"], await page.Locator("select[name=result] option").AllInnerTextsAsync());
        await page.SelectOptionAsync("select[name=result]", "later");
        await page.FillAsync("input[name=laterOn]", "2026-09-10T10:00");
        await page.FillAsync("textarea[name=notes]", "On holiday until September");
        await page.ClickAsync("button[name=action][value=Done]");
        await Assertions.Expect(page.GetByText("Completed; the workflow has moved on.")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsFolder, "reminder-call-en.png"), FullPage = true });

        // The car comes back: the new visit's task page names the work left last time, in either language.
        var (_, next) = await desk.WalkInAsync(vehicleId);
        var reception = await desk.TaskAsync("wang", next, "reception");
        await page.GotoAsync(desk.Address + $"/inbox/{reception.GetProperty("id").GetString()}?lang=zh-CN");
        await Assertions.Expect(page.GetByText("上次未做的项目: Front brake pads（安全）")).ToBeVisibleAsync();
        await page.GotoAsync(desk.Address + $"/inbox/{reception.GetProperty("id").GetString()}?lang=en");
        await Assertions.Expect(page.GetByText("Not done at the last visit: Front brake pads (safety)")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsFolder, "declined-before-en.png"), FullPage = true });

        var reminder = (await desk.VisitAsync(visitId)).GetProperty("reminders").EnumerateArray().Single(r => r.GetProperty("kind").GetString() == "Service");
        Assert.Equal(("later", "On holiday until September"), (reminder.GetProperty("callResult").GetString(), reminder.GetProperty("callNotes").GetString()));
        Assert.Equal(new DateTime(2026, 9, 10, 1, 0, 0, DateTimeKind.Utc), reminder.GetProperty("callBackOn").GetDateTime()); // when the store opens that day
    }
}
