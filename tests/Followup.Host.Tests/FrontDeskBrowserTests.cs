using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Followup.Host.Tests;

/// <summary>
/// A store's visit in the browser alone, no API call: a manager makes an advisor's account; the advisor books a customer
/// by phone, checks them in, records the walk-around, the needs and the customer's approval at the counter; technicians
/// do and check the work; the advisor settles and delivers. Once in Chinese and once in English: no page shows a raw
/// identifier or field name, every time is store time, every input has a label, nothing overflows on a phone.
/// </summary>
public sealed class FrontDeskBrowserTests
{
    /// <summary>What must never reach a person: outcome, status and field names as stored.</summary>
    private static readonly string[] Raw =
    [
        "WorkDone", "AdditionalWorkFound", "NotCovered", "NeedsDecision", "InWorkshop", "QualityCheck", "Suspended", "PreInspection", "PartiallyApproved",
        "TimedOut", "NoShow", "odometer", "walkaround", "reworkHours", "estimateApproval", "zh-CN", "Followup.", "Elsa.", "TechnicalLead", "CallbackAgent",
    ];

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task A_visit_runs_from_booking_to_delivery_in_the_browser_alone(string lang)
    {
        var zh = lang == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        await using var desk = await ServiceDesk.OpenAsync(browser: true);
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var shots = 0;

        async Task<IPage> SignInAsync(string user, string password, int width = 1366, int height = 768)
        {
            var context = await browser.NewContextAsync(new() { Locale = lang, ViewportSize = new() { Width = width, Height = height } });
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await page.GotoAsync(desk.Address + "/account/login");
            await page.FillAsync("input[name=UserName]", user);
            await page.FillAsync("input[name=Password]", password);
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator("header .who")).ToHaveTextAsync(user);
            return page;
        }

        // Each page a person reaches: nothing raw, every input labelled, no sideways scrolling; kept as a screenshot.
        async Task CheckAsync(IPage page, string name)
        {
            var text = await page.Locator("body").InnerTextAsync();
            foreach (var raw in Raw)
                Assert.False(Regex.IsMatch(text, $@"\b{Regex.Escape(raw)}\b"), $"{name} ({lang}) shows '{raw}':\n{text}");
            var unlabelled = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                    .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.name)
                """);
            Assert.True(unlabelled.Length == 0, $"{name} ({lang}): inputs without a label: {string.Join(", ", unlabelled)}");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"{name} ({lang}) scrolls sideways");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsFolder, $"desk-{lang}-{++shots:D2}-{name}.png"), FullPage = true });
        }

        // The manager makes the advisor's account.
        var manager = await SignInAsync("liu", "liu-pass-2026");
        await manager.GotoAsync(desk.Address + "/staff");
        await manager.FillAsync("input[name=UserName]", "mei");
        await manager.FillAsync("input[name=DisplayName]", "Mei");
        await manager.CheckAsync("input[name=Roles][value=Advisor]");
        await manager.SelectOptionAsync("select[name=Language]", lang);
        await manager.FillAsync("input[name=Password]", "short");
        await manager.ClickAsync("form[action='/staff'] button[type=submit]");
        await Assertions.Expect(manager.GetByText(T("密码至少 10 个字符。", "Passwords must be at least 10 characters."))).ToBeVisibleAsync();
        await manager.FillAsync("input[name=Password]", "mei-first-2026");
        await manager.ClickAsync("form[action='/staff'] button[type=submit]");
        await Assertions.Expect(manager.Locator("tr[data-user=mei]")).ToContainTextAsync(T("服务顾问", "Service advisor"));
        await CheckAsync(manager, "staff");

        // The advisor takes a call: a new customer, the consent they give, their car, a booking.
        var advisor = await SignInAsync("mei", "mei-first-2026");
        await advisor.GotoAsync(desk.Address + "/desk");
        await CheckAsync(advisor, "desk");
        await advisor.ClickAsync("a[href='/desk/customers/new']");
        await advisor.FillAsync("input[name=name]", "Customer 71");
        await advisor.FillAsync("input[name=phone]", "139 2000 0071");
        // Unanswered consent: the browser asks first; past it (validation off), the server refuses and keeps what was typed.
        await advisor.EvalOnSelectorAsync("form.form", "f => f.noValidate = true");
        await advisor.ClickAsync("form.form button[type=submit]");
        await Assertions.Expect(advisor.Locator("fieldset.yesno .error").First).ToHaveTextAsync(T("请询问客户并选择“同意”或“不同意”。", "Ask the customer and choose yes or no."));
        Assert.Equal("Customer 71", await advisor.InputValueAsync("input[name=name]"));
        await advisor.SelectOptionAsync("select[name=language]", lang);
        await advisor.CheckAsync("input[name=sms][value=yes]");
        await advisor.CheckAsync("input[name=emailConsent][value=no]");
        await advisor.CheckAsync("input[name=marketing][value=yes]");
        await advisor.ClickAsync("form.form button[type=submit]");
        await advisor.ClickAsync("details:has(form[action$='/vehicles']) summary");
        await advisor.FillAsync("input[name=vin]", ServiceDesk.Vin(71));
        await advisor.FillAsync("input[name=plate]", "沪A71071");
        await advisor.FillAsync("input[name=model]", "Lavida");
        await advisor.FillAsync("input[name=year]", "2022");
        await advisor.FillAsync("input[name=odometer]", "18000");
        await advisor.ClickAsync("form[action$='/vehicles'] button[type=submit]");
        await CheckAsync(advisor, "customer");
        await advisor.ClickAsync("article.vehicle details:has(form[action$='/book']) summary");
        // The clock reads 17:00 in Shanghai (09:00 UTC): the store has closed, the first slot is 09:00 tomorrow, store time.
        var first = advisor.Locator("article.vehicle select[name=slot] option:not([value=''])").First;
        await Assertions.Expect(first).ToContainTextAsync("09:00");
        await advisor.SelectOptionAsync("article.vehicle select[name=slot]", (await first.GetAttributeAsync("value"))!);
        await advisor.FillAsync("article.vehicle input[name=request]", T("刹车异响", "Brakes squeak"));
        await advisor.ClickAsync("form[action$='/book'] button[type=submit]");

        // Tomorrow's list: check in.
        var row = advisor.Locator("tr[data-appointment]", new() { HasText = "Customer 71" });
        await Assertions.Expect(row).ToContainTextAsync("09:00");
        await Assertions.Expect(row).ToContainTextAsync(T("已预约", "Booked"));
        await CheckAsync(advisor, "appointments");
        await row.Locator("form[action$='/arrive'] button").ClickAsync();
        await Assertions.Expect(advisor).ToHaveURLAsync(new Regex("/visits/RO-"));
        var number = advisor.Url.Split("/visits/")[1].Split('?')[0];

        // Reception, walk-around and needs, each from the visit page's current step.
        async Task StepAsync(IPage page, Func<Task> fill, string action, string name)
        {
            await page.GotoAsync(desk.Address + $"/visits/{number}");
            var link = page.Locator("section.now a[href^='/inbox/']").First;
            await Assertions.Expect(link).ToBeVisibleAsync();
            await link.ClickAsync();
            await fill();
            await CheckAsync(page, name);
            await page.ClickAsync($"button[name=action][value={action}]");
            await Assertions.Expect(page.GetByText(T("已完成，流程已继续。", "Completed; the workflow has moved on."))).ToBeVisibleAsync();
        }
        await StepAsync(advisor, () => advisor.CheckAsync("input[name=greeted]"), "Done", "reception");
        await StepAsync(advisor, async () =>
        {
            await advisor.FillAsync("input[name=odometer]", "18250");
            await advisor.SelectOptionAsync("select[name=fuel]", "3/4");
            await advisor.CheckAsync("input[name=covers]");
            await advisor.SelectOptionAsync("select[name=wash]", "no");
            await advisor.SelectOptionAsync("select[name=waiting]", "wait");
            await advisor.CheckAsync("input[name=acknowledged]");
        }, "Done", "walk-around");
        await StepAsync(advisor, async () =>
        {
            await advisor.FillAsync("textarea[name=concerns]", T("刹车异响", "Brakes squeak"));
            await advisor.CheckAsync("input[name=services][value=OIL]");
            await advisor.CheckAsync("input[name=services][value=BRAKEF]");
            await advisor.SelectOptionAsync("select[name=warranty]", "NotCovered");
            await advisor.CheckAsync("input[name=signed]");
        }, "Done", "needs");

        // The customer decides at the counter: the oil service yes, the brake pads no; a missing signature keeps the choice.
        await advisor.GotoAsync(desk.Address + $"/visits/{number}");
        await Assertions.Expect(advisor.Locator("section.now")).ToContainTextAsync(T("客户", "The customer"));
        await Assertions.Expect(advisor.Locator("section.panel").First).ToContainTextAsync(T("状态: 等待客户确认估价", "Status: Waiting for the customer's decision on the estimate"));
        await CheckAsync(advisor, "visit-waiting-customer");
        await advisor.ClickAsync("section.now a[href$='/counter']");
        var brakes = advisor.Locator("tr", new() { HasText = T("前刹车片", "Front brake pads") }).Locator("input[name=line]");
        await brakes.UncheckAsync();
        await advisor.ClickAsync("button[name=decision][value=approve]");
        await Assertions.Expect(advisor.Locator("p.error")).ToBeVisibleAsync();
        Assert.False(await brakes.IsCheckedAsync());
        await advisor.FillAsync("input[name=signedName]", "Customer 71");
        await advisor.CheckAsync("input[name=consent]");
        await CheckAsync(advisor, "counter");
        await advisor.ClickAsync("button[name=decision][value=approve]");
        await Assertions.Expect(advisor.Locator("ul.approvals")).ToContainTextAsync(T("部分同意（到店当面，签名：Customer 71）", "approved some (in person, signed Customer 71)"));

        // The workshop: one technician takes and does the work, another checks it.
        var technician = await SignInAsync("zhang", "zhang-pass-2026");
        await StepAsync(technician, () => technician.FillAsync("input[name=technician]", "zhang").ContinueWith(_ => technician.CheckAsync("input[name=received]")).Unwrap(), "Done", "handover");
        await StepAsync(technician, () => Task.CompletedTask, "WorkDone", "work");
        var checker = await SignInAsync("zhou", "zhou-pass-2026");
        await StepAsync(checker, () => Task.CompletedTask, "Passed", "quality-check");

        // The advisor settles and hands the car back.
        await StepAsync(advisor, async () =>
        {
            await advisor.CheckAsync("input[name=explained]");
            await advisor.SelectOptionAsync("select[name=payment]", "card");
        }, "Done", "settlement");
        await StepAsync(advisor, async () =>
        {
            await advisor.CheckAsync("input[name=walkaround]");
            await advisor.CheckAsync("input[name=informed]");
        }, "Done", "delivery");
        await advisor.GotoAsync(desk.Address + $"/visits/{number}");
        await Assertions.Expect(advisor.Locator("section.panel").First).ToContainTextAsync(T("已交车", "Delivered"));
        await CheckAsync(advisor, "visit-delivered");

        // The same pages on a phone.
        var phone = await SignInAsync("mei", "mei-first-2026", 390, 844);
        await phone.GotoAsync(desk.Address + "/desk");
        await CheckAsync(phone, "desk-phone");
        await phone.GotoAsync(desk.Address + $"/visits/{number}");
        await CheckAsync(phone, "visit-phone");

        // The messages the customer got, with each text's length, and the visit's workflow runs, as the manager sees them.
        await manager.GotoAsync(desk.Address + $"/messages?q={Uri.EscapeDataString(number)}");
        await Assertions.Expect(manager.Locator(".sms-length").First).ToContainTextAsync(T("条", "segment"));
        await CheckAsync(manager, "messages");
        await manager.GotoAsync(desk.Address + "/designer/instances?workflow=service-visit");
        await CheckAsync(manager, "runs");
        await manager.Locator($"table tr:has(a[href='/visits/{number}']) a[href^='/designer/instances/']").First.ClickAsync();
        await Assertions.Expect(manager.Locator("dd[data-state]")).Not.ToBeEmptyAsync();
        await Assertions.Expect(manager.Locator("main, body").First).ToContainTextAsync(T("经过", "Timeline"));
        await CheckAsync(manager, "run");
    }
}
