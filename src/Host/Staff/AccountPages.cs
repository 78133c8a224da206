using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

using Followup.Host.Pages;
using Followup.Host.Pages.Account;

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
        app.MapGet("/account/login", (HttpContext context, string? returnUrl) =>
            Page(context, returnUrl, error: null, StatusCodes.Status200OK));
        app.MapPost("/account/login", async (HttpContext context, [FromForm] LoginForm form, SignInManager<StaffUser> signIn, LoginThrottle throttle) =>
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
            return Page(context, form.ReturnUrl, "bad.login", StatusCodes.Status400BadRequest);
        });
        app.MapPost("/account/logout", async (HttpContext context, SignInManager<StaffUser> signIn) =>
        {
            // A new security stamp ends the designer token this session was given (and the user's other sessions).
            if (await signIn.UserManager.GetUserAsync(context.User) is { } user)
                await signIn.UserManager.UpdateSecurityStampAsync(user);
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/login");
        });
        app.MapGet("/account/denied", (HttpContext context) => StaffPages.Page<DeniedPage>(context, null, StatusCodes.Status403Forbidden));
        return app;
    }

    /// <summary>A hash of a password nobody has, checked when the name is unknown.</summary>
    private static readonly string UnknownUserHash = new PasswordHasher<StaffUser>().HashPassword(new StaffUser(), Guid.NewGuid().ToString("N"));

    private static bool IsLocal(string? url) => !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private static IResult Page(HttpContext context, string? returnUrl, string? error, int status) =>
        StaffPages.Page<LoginPage>(context, new { ReturnUrl = returnUrl, Error = error }, status);

    /// <summary>The hidden antiforgery field every customer form carries (staff pages use the Token component).</summary>
    public static string AntiforgeryField(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">";
    }

    public static IResult Html(string html, int status = StatusCodes.Status200OK) => Results.Content(html, "text/html; charset=utf-8", statusCode: status);
}
