using System.Globalization;
using System.Net;
using Followup.Activities.Approvals;
using Followup.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Followup.Host.Staff;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Followup.Host.Customers;

/// <summary>
/// The customer's approval page, mobile-first and without login: the lines with labour and parts, totals, approve all,
/// choose lines or decline, the customer's name and an explicit consent tick. We record time, IP, user agent and exactly
/// what was approved. An expired, used or tampered link gets a clear page and no data. Rate-limited per address.
/// </summary>
public static class CustomerPages
{
    public const string RateLimitPolicy = "customer-links";

    private static readonly Dictionary<string, (string Zh, string En)> Words = new()
    {
        ["Estimate"] = ("维修估价确认", "Your service estimate"),
        ["AdditionalWork"] = ("追加项目确认", "Additional work found"),
        ["Overrun"] = ("超出估价的费用确认", "Charges beyond your estimate"),
        ["item"] = ("项目", "Item"),
        ["labour"] = ("工时费", "Labour"),
        ["parts"] = ("配件费", "Parts"),
        ["price"] = ("小计", "Price"),
        ["total"] = ("合计（已选）", "Total (selected)"),
        ["name"] = ("您的姓名", "Your name"),
        ["consent"] = ("我已阅读并同意以上所选项目及费用。", "I have read and agree to the selected work and prices."),
        ["approve"] = ("确认所选项目", "Approve selected"),
        ["decline"] = ("全部拒绝", "Decline all"),
        ["thanks"] = ("谢谢，您的确认已记录，服务顾问会继续为您服务。", "Thank you, your decision is recorded; your service advisor will carry on."),
        ["invalid"] = ("此链接无效。请联系您的服务顾问。", "This link is not valid. Please contact your service advisor."),
        ["used"] = ("此链接已使用，您的决定已记录。", "This link has been used; your decision is already recorded."),
        ["expired"] = ("此链接已过期。请联系您的服务顾问。", "This link has expired. Please contact your service advisor."),
        ["need.name"] = ("请填写您的姓名并勾选同意。", "Please enter your name and tick the consent box."),
        ["hours"] = ("预计工时", "Estimated hours"),
        ["valid"] = ("此链接有效期至", "This link is valid until"),
        ["decided.approved"] = ("您已确认以下项目：", "You approved:"),
        ["decided.none"] = ("您未同意任何项目。", "You approved none of the work."),
        ["questions"] = ("如有疑问请致电", "Questions? Call us on"),
        ["book"] = ("预约保养", "Book your service"),
        ["book.pick"] = ("请选择到店时间：", "Choose a time to come in:"),
        ["book.request"] = ("需要我们注意的问题（可选）", "Anything we should know (optional)"),
        ["book.submit"] = ("确认预约", "Book this time"),
        ["book.full"] = ("该时段已约满，请选择其他时间。", "That time is taken; please choose another."),
        ["book.done"] = ("预约成功，确认短信已发送。", "You are booked; a confirmation is on its way."),
        ["book.used"] = ("此预约链接已使用，您的预约已记录。如需更改请联系服务顾问。", "This booking link has been used and your booking is recorded. To change it, please contact your service advisor."),
    };

    public static IServiceCollection AddCustomerPages(this IServiceCollection services)
    {
        services.AddSingleton<CustomerLinks>();
        services.AddSingleton<ICustomerLinks>(sp => sp.GetRequiredService<CustomerLinks>());
        // Customers behind one carrier's NAT share an address: CustomerPages:RequestsPerMinute raises the limit.
        services.AddPerAddressLimit(RateLimitPolicy, "CustomerPages:RequestsPerMinute", 30);
        return services;
    }

    public static WebApplication MapCustomerPages(this WebApplication app)
    {
        var pages = app.MapGroup("/c").RequireRateLimiting(RateLimitPolicy);
        pages.MapGet("/{token}", async (string token, HttpContext context, CustomerLinks links, ApprovalStore store, TimeProvider clock, IAntiforgery antiforgery, CancellationToken ct) =>
            await RenderAsync(token, context, links, store, clock, antiforgery, null, ct));
        pages.MapPost("/{token}", DecideAsync).RequireForm();
        app.MapGet("/s/{code}", OpenShortLinkAsync).RequireRateLimiting(RateLimitPolicy);
        app.MapPost("/api/approvals/{id}/decision", RecordAsync)
            .RequireStaffOrApiKey(Roles.Advisor, Roles.Manager).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithTags("Approvals").WithSummary("Record a customer's decision taken in person or by phone (the approved line ids).");
        return app;
    }

    /// <summary>
    /// A short link from an SMS: a redirect to the signed link it stands for, which decides what the customer may do.
    /// An unknown code is 404 and an expired one 410, each with a page that says so in the browser's language.
    /// </summary>
    private static async Task<IResult> OpenShortLinkAsync(string code, HttpContext context, IDbContextFactory<Activities.Data.DealershipDbContext> factory, TimeProvider clock, CancellationToken ct)
    {
        var lang = BrowserLanguage(context);
        if (!Activities.Messaging.ShortLinks.IsCode(code))
            return Refusal(lang, "invalid", StatusCodes.Status404NotFound);
        await using var db = await factory.CreateDbContextAsync(ct);
        var link = await db.ShortLinks.AsNoTracking().FirstOrDefaultAsync(l => l.Code == code, ct);
        if (link is null)
            return Refusal(lang, "invalid", StatusCodes.Status404NotFound);
        if (link.ExpiresAt <= clock.GetUtcNow().UtcDateTime)
            return Refusal(lang, "expired", StatusCodes.Status410Gone);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Redirect(link.Target);
    }

    /// <summary>The language of a page that knows no customer yet (a refused link): the browser's.</summary>
    internal static string BrowserLanguage(HttpContext context) =>
        context.Request.Headers.AcceptLanguage.ToString().StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en" : "zh-CN";

    internal static string W(string lang, string key) => WebUtility.HtmlEncode(lang == "en" ? Words[key].En : Words[key].Zh);

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    private static string Money(decimal value) => value.ToString("N2", CultureInfo.InvariantCulture);

    private static async Task<IResult> RenderAsync(string token, HttpContext context, CustomerLinks links, ApprovalStore store, TimeProvider clock,
        IAntiforgery antiforgery, string? error, CancellationToken ct, int status = StatusCodes.Status200OK, IReadOnlyCollection<string>? chosen = null, string? signedName = null)
    {
        var shop = context.RequestServices.GetRequiredService<IOptions<Activities.Service.StoreOptions>>().Value;
        var messaging = context.RequestServices.GetRequiredService<IOptions<Activities.Messaging.MessagingOptions>>().Value;
        var approval = links.Read(token) is { } id ? await store.FindAsync(id, ct) : null;
        var lang = approval?.Language ?? BrowserLanguage(context);
        if (approval is null)
            return Refusal(lang, "invalid", StatusCodes.Status404NotFound);
        if (approval.Status == ApprovalStatus.Answered)
            return Decided(lang, approval, shop);
        if (approval.Status != ApprovalStatus.Pending || approval.ExpiresAt <= clock.GetUtcNow().UtcDateTime)
            return Refusal(lang, "expired", StatusCodes.Status410Gone);
        if (approval.OpenedAt is null)
            await store.MarkOpenedAsync(approval.Id, clock.GetUtcNow().UtcDateTime, ct);
        var lines = ApprovalContent.Lines(approval.Content);
        var rows = string.Concat(lines.Select(l => $"""
            <label class="line"><input type="checkbox" name="line" value="{E(l.Id)}" data-price="{l.Price.ToString(CultureInfo.InvariantCulture)}"{(chosen?.Contains(l.Id) ?? true ? " checked" : "")}>
              <span class="what"><strong>{E(l.Description)}</strong>{(l.Reason is null ? "" : $"<small>{E(l.Reason)}</small>")}
              <small>{W(lang, "labour")} {Money(l.Labour)} · {W(lang, "parts")} {Money(l.Parts)}{(l.Hours is { } h ? $" · {W(lang, "hours")} {h.ToString(CultureInfo.InvariantCulture)}" : "")}</small></span>
              <span class="price">{E(shop.Money(l.Price))}</span></label>
            """));
        var body = $"""
            <main class="sheet">
              <p class="store">{E(shop.NameIn(lang))}</p>
              <h1>{W(lang, approval.Kind)}</h1>
              <p>{E(approval.CustomerName)}{(approval.CorrelationId is null ? "" : $" · {E(approval.CorrelationId)}")}{await PlateAsync(context, approval.CorrelationId, ct)}</p>
              <p class="expiry">{W(lang, "valid")} {E(messaging.Show(approval.ExpiresAt))}</p>
              {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{W(lang, error)}</p>")}
              <form method="post">
                {AccountPages.AntiforgeryField(context)}
                {rows}
                <p class="total">{W(lang, "total")}: {E(shop.CurrencySymbol)}<span id="total">{Money(lines.Where(l => chosen?.Contains(l.Id) ?? true).Sum(l => l.Price))}</span></p>
                <label class="field">{W(lang, "name")}<input name="signedName" autocomplete="name" value="{E(signedName)}"></label>
                <label class="consent"><input type="checkbox" name="consent" value="true"> {W(lang, "consent")}</label>
                <button type="submit" name="decision" value="approve" class="primary">{W(lang, "approve")}</button>
                <button type="submit" name="decision" value="decline" class="secondary">{W(lang, "decline")}</button>
              </form>
              {(shop.Phone.Length == 0 ? "" : $"<p class=\"contact\">{W(lang, "questions")} <a href=\"tel:{E(shop.Phone)}\">{E(shop.Phone)}</a></p>")}
            </main>
            """;
        return AccountPages.Html(Layout(lang, lang == "en" ? Words[approval.Kind].En : Words[approval.Kind].Zh, body + Script + Style), status);
    }

    private static async Task<IResult> DecideAsync(string token, HttpContext context, CustomerLinks links, ApprovalStore store, ApprovalService approvals,
        TimeProvider clock, IAntiforgery antiforgery, CancellationToken ct)
    {
        var form = await context.Request.ReadFormAsync(ct);
        if (links.Read(token) is not { } id || await store.FindAsync(id, ct) is not { } approval)
            return Refusal("zh-CN", "invalid", StatusCodes.Status404NotFound);
        var decline = form["decision"] == "decline";
        var name = form["signedName"].ToString().Trim();
        var chosen = decline ? [] : form["line"].Where(v => v != null).Select(v => v!).ToArray();
        // A refusal keeps the customer's choices: a resubmit never approves a line they had unticked.
        if (!decline && (name.Length == 0 || form["consent"] != "true"))
            return await RenderAsync(token, context, links, store, clock, antiforgery, "need.name", ct, StatusCodes.Status400BadRequest, chosen, name);
        var result = await approvals.DecideAsync(id, chosen, $"customer:{approval.CustomerName}", "link", name.Length == 0 ? null : name,
            context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString(), ct);
        return result switch
        {
            DecisionResult.Recorded => Refusal(approval.Language, "thanks", StatusCodes.Status200OK),
            DecisionResult.AlreadyAnswered => Refusal(approval.Language, "used", StatusCodes.Status410Gone),
            DecisionResult.Expired => Refusal(approval.Language, "expired", StatusCodes.Status410Gone),
            _ => Refusal(approval.Language, "invalid", StatusCodes.Status400BadRequest),
        };
    }

    public sealed record StaffDecision(string[]? ApprovedLines, string Via, string? Note);

    /// <summary>An advisor records a decision the customer gave in person or by phone.</summary>
    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RecordAsync(string id, [FromBody] StaffDecision decision, HttpContext context, ApprovalService approvals, CancellationToken ct)
    {
        if (decision.Via is not ("in-person" or "phone"))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["via"] = ["Use in-person or phone."] });
        var result = await approvals.DecideAsync(id, decision.ApprovedLines ?? [], context.User.Identity?.Name ?? "staff", decision.Via, null,
            context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString(), ct);
        return result switch
        {
            DecisionResult.Recorded => TypedResults.NoContent(),
            DecisionResult.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such approval"),
            DecisionResult.Invalid => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["approvedLines"] = ["Unknown line id."] }),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The approval was already answered or has expired"),
        };
    }

    /// <summary>A used link shows what was decided (which lines), not only that it was used.</summary>
    private static IResult Decided(string lang, ApprovalRecord approval, Activities.Service.StoreOptions shop)
    {
        var approved = System.Text.Json.JsonSerializer.Deserialize<string[]>(approval.ApprovedLines ?? "[]") ?? [];
        var lines = ApprovalContent.Lines(approval.Content).Where(l => approved.Contains(l.Id)).ToList();
        var list = lines.Count == 0 ? $"<p>{W(lang, "decided.none")}</p>"
            : $"<p>{W(lang, "decided.approved")}</p><ul>{string.Concat(lines.Select(l => $"<li>{E(l.Description)} · {E(shop.Money(l.Price))}</li>"))}</ul>";
        return AccountPages.Html(Layout(lang, "Followup", $"<main class=\"sheet\"><p class=\"store\">{E(shop.NameIn(lang))}</p><p class=\"message\">{W(lang, "used")}</p>{list}</main>{Style}"), StatusCodes.Status410Gone);
    }

    /// <summary>The car's plate on a visit's approval page, so the customer knows which car it is.</summary>
    private static async Task<string> PlateAsync(HttpContext context, string? number, CancellationToken ct)
    {
        if (number is null)
            return "";
        await using var db = await context.RequestServices.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Activities.Data.DealershipDbContext>>().CreateDbContextAsync(ct);
        var plate = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            db.Visits.Where(v => v.Number == number).Join(db.Vehicles, v => v.VehicleId, c => c.Id, (_, c) => c.Plate), ct);
        return plate is null ? "" : $" · {E(plate)}";
    }

    /// <summary>The customer pages' page: phone-sized, no staff navigation.</summary>
    internal static string Layout(string lang, string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="{{lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{WebUtility.HtmlEncode(title)}}</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">
        <style>
          body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; background: #f4f5f7; margin: 0; }
          .card { max-width: 360px; margin: 10vh auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); display: grid; gap: 1rem; }
          label { display: grid; gap: .3rem; font-size: .9rem; } input { padding: .6rem; font-size: 1rem; border: 1px solid #bbb; border-radius: 4px; }
          button { padding: .7rem; font-size: 1rem; background: #1f4e8c; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
          .error { color: #b00020; } .lang { text-align: right; font-size: .85rem; } h1 { font-size: 1.3rem; margin: 0; }
        </style></head>
        <body>{{body}}</body></html>
        """;

    internal static IResult Refusal(string lang, string key, int status) =>
        AccountPages.Html(Layout(lang, "Followup", $"<main class=\"sheet\"><p class=\"message\">{W(lang, key)}</p></main>{Style}"), status);

    private const string Script = """
        <script>
          const total = document.getElementById('total');
          const boxes = document.querySelectorAll('input[name=line]');
          const update = () => { let sum = 0; boxes.forEach(b => { if (b.checked) sum += parseFloat(b.dataset.price); }); total.textContent = sum.toFixed(2); };
          boxes.forEach(b => b.addEventListener('change', update));
        </script>
        """;

    internal const string Style = """
        <style>.sheet { max-width: 520px; margin: 0 auto; background: #fff; padding: 1rem 1.2rem 2rem; min-height: 100vh; box-sizing: border-box; }
        h1 { font-size: 1.3rem; } .line { display: grid; grid-template-columns: auto 1fr auto; gap: .6rem; padding: .8rem 0; border-bottom: 1px solid #eee; align-items: start; }
        .line small { display: block; color: #555; } .price { font-weight: 600; } .total { font-size: 1.1rem; font-weight: 700; text-align: right; }
        .field { display: grid; gap: .3rem; margin: 1rem 0; } .field input { padding: .7rem; font-size: 1rem; } .consent { display: flex; gap: .5rem; margin-bottom: 1rem; }
        button { width: 100%; padding: .9rem; font-size: 1.05rem; border-radius: 6px; margin-bottom: .6rem; } .primary { background: #1f6e3a; color: #fff; border: 0; }
        .secondary { background: #fff; color: #1d1d1f; border: 1px solid #999; } .store { font-weight: 600; color: #1f4e8c; margin: 0; }
        .expiry, .contact { color: #555; font-size: .9rem; } .message { margin-top: 12vh; } .error { color: #b00020; } .message { font-size: 1.1rem; text-align: center; }</style>
        """;
}
