using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

using Followup.Host.Pages;

namespace Followup.Host.Staff;

/// <summary>Sign-in, sign-out and the refusal page, server-rendered; the forms carry an antiforgery token.</summary>
public static class AccountPages
{
    /// <summary>The sign-in form; every field may be missing (then it is empty), none is a binding error.</summary>
    public sealed record LoginForm
    {
        public string? UserName { get; init; }
        public string? Password { get; init; }
        public string? ReturnUrl { get; init; }
    }

    public static WebApplication MapAccountPages(this WebApplication app)
    {
        app.MapGet("/account/login", (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            Page(context, antiforgery, returnUrl, error: null, StatusCodes.Status200OK));
        app.MapPost("/account/login", async (HttpContext context, IAntiforgery antiforgery, [FromForm] LoginForm form, SignInManager<StaffUser> signIn, LoginThrottle throttle) =>
        {
            var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            var userName = (form.UserName ?? "").Trim();
            if (!throttle.IsThrottled(address, userName))
            {
                var user = await signIn.UserManager.FindByNameAsync(userName);
                if (user is null)
                {
                    // An unknown name costs the same time as a known one, so the answer's speed tells nothing.
                    signIn.UserManager.PasswordHasher.VerifyHashedPassword(new StaffUser(), UnknownUserHash, form.Password ?? "");
                }
                else if ((await signIn.PasswordSignInAsync(user, form.Password ?? "", isPersistent: false, lockoutOnFailure: true)).Succeeded)
                {
                    throttle.Succeeded(address, userName);
                    return Results.LocalRedirect(IsLocal(form.ReturnUrl) ? form.ReturnUrl! : "/");
                }
            }
            throttle.Failed(address, userName);
            // One answer for every failure (a wrong name or password, a locked account, too many tries): it tells no one which names exist.
            return Page(context, antiforgery, form.ReturnUrl, "bad.login", StatusCodes.Status400BadRequest);
        });
        app.MapPost("/account/logout", async (HttpContext context, SignInManager<StaffUser> signIn) =>
        {
            // A new security stamp ends the designer token this session was given (and the user's other sessions).
            if (await signIn.UserManager.GetUserAsync(context.User) is { } user)
                await signIn.UserManager.UpdateSecurityStampAsync(user);
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/login");
        });
        app.MapGet("/account/denied", (HttpContext context) =>
        {
            var lang = StaffText.Language(context);
            return StaffPages.Markup(context, StaffText.Get(lang, "denied"), $"<p class=\"error\">{StaffText.Get(lang, "denied")}</p><p><a href=\"/account/login\">{StaffText.Get(lang, "signin")}</a></p>",
                StatusCodes.Status403Forbidden);
        });
        return app;
    }

    /// <summary>A hash of a password nobody has, checked when the name is unknown.</summary>
    private static readonly string UnknownUserHash = new PasswordHasher<StaffUser>().HashPassword(new StaffUser(), Guid.NewGuid().ToString("N"));

    private static bool IsLocal(string? url) => !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error, int status)
    {
        var lang = StaffText.Language(context);
        string T(string key) => WebUtility.HtmlEncode(StaffText.Get(lang, key));
        var body = $"""
            <form method="post" action="/account/login" class="card">
              <h1>{T("title.login")}</h1>
              {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{T(error)}</p>")}
              {AntiforgeryField(context)}
              <input type="hidden" name="ReturnUrl" value="{WebUtility.HtmlEncode(returnUrl ?? "")}">
              <label>{T("user")}<input name="UserName" autocomplete="username" required autofocus></label>
              <label>{T("password")}<input name="Password" type="password" autocomplete="current-password" required></label>
              <button type="submit">{T("signin")}</button>
              <p class="lang"><a href="/account/login?lang={(lang == "en" ? "zh-CN" : "en")}&returnUrl={Uri.EscapeDataString(returnUrl ?? "")}">{T("other.lang")}</a></p>
            </form>
            """;
        return StaffPages.Markup(context, StaffText.Get(lang, "title.login"), body, status);
    }

    public static string Layout(string lang, string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="{{lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{WebUtility.HtmlEncode(title)}} · Followup</title>
        <style>
          body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; background: #f4f5f7; margin: 0; }
          .card { max-width: 360px; margin: 10vh auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); display: grid; gap: 1rem; }
          label { display: grid; gap: .3rem; font-size: .9rem; } input { padding: .6rem; font-size: 1rem; border: 1px solid #bbb; border-radius: 4px; }
          button { padding: .7rem; font-size: 1rem; background: #1f4e8c; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
          .error { color: #b00020; } .lang { text-align: right; font-size: .85rem; } h1 { font-size: 1.3rem; margin: 0; }
        </style></head>
        <body>{{body}}</body></html>
        """;

    /// <summary>The hidden antiforgery field every staff and customer form carries.</summary>
    public static string AntiforgeryField(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">";
    }

    public static IResult Html(string html, int status = StatusCodes.Status200OK) => Results.Content(html, "text/html; charset=utf-8", statusCode: status);
}
