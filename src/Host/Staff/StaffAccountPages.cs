using Followup.Host.Pages;
using Followup.Host.Pages.Staff;
using Followup.Host.Security;
using Microsoft.AspNetCore.Identity;

namespace Followup.Host.Staff;

/// <summary>What a manager typed into the new-account form, shown again with the refusal.</summary>
public sealed record StaffAccountForm(string UserName, string? DisplayName, string Language, IReadOnlyList<string> Roles);

/// <summary>
/// Staff accounts in the browser: managers create accounts, set roles, disable and enable them and reset passwords
/// (<c>/staff</c>); everyone changes their own password (<c>/account/password</c>).
/// </summary>
public static class StaffAccountPages
{
    public static WebApplication MapStaffAccountPages(this WebApplication app)
    {
        var managers = app.MapGroup("/staff").RequireStaff(Roles.Manager);
        managers.MapGet("/", async (HttpContext context, StaffAccounts accounts) =>
            StaffPages.Page<StaffListPage>(context, new { Accounts = await accounts.ListAsync() }));
        managers.MapPost("/", async (HttpContext context, StaffAccounts accounts) =>
        {
            var lang = StaffText.Language(context);
            var form = await context.Request.ReadFormAsync();
            var input = new StaffAccountForm(form["UserName"].ToString().Trim(), form["DisplayName"].ToString(), form["Language"].ToString(), [.. form["Roles"].Select(r => r!)]);
            var errors = await accounts.CreateAsync(input.UserName, input.DisplayName, input.Language, input.Roles, form["Password"].ToString(), lang);
            if (errors.Count > 0)
                return StaffPages.Page<StaffListPage>(context, new { Accounts = await accounts.ListAsync(), Form = input, Errors = errors }, StatusCodes.Status400BadRequest);
            return StaffPages.Page<StaffListPage>(context, new
            {
                Accounts = await accounts.ListAsync(),
                Notice = lang == "en" ? $"The account {input.UserName} is created; give its first password to its owner in person." : $"账号 {input.UserName} 已创建；请当面把初始密码告诉本人。",
            });
        }).RequireForm();
        managers.MapGet("/{userName}", async (string userName, HttpContext context, StaffAccounts accounts) =>
            await accounts.FindAsync(userName) is { } account ? StaffPages.Page<StaffEditPage>(context, new { Account = account }) : Results.NotFound());
        managers.MapPost("/{userName}", async (string userName, HttpContext context, StaffAccounts accounts) =>
        {
            var lang = StaffText.Language(context);
            var en = lang == "en";
            var form = await context.Request.ReadFormAsync();
            var actor = context.User.Identity?.Name ?? "";
            var action = form["Action"].ToString();
            var errors = action switch
            {
                "save" => await accounts.UpdateAsync(userName, form["DisplayName"], form["Language"].ToString(), [.. form["Roles"].Select(r => r!)], actor, lang),
                "password" => await accounts.ResetPasswordAsync(userName, form["Password"].ToString(), lang),
                "disable" => await accounts.SetDisabledAsync(userName, true, actor, lang),
                "enable" => await accounts.SetDisabledAsync(userName, false, actor, lang),
                _ => new Dictionary<string, string> { ["UserName"] = en ? "Unknown action." : "未知操作。" },
            };
            if (await accounts.FindAsync(userName) is not { } account)
                return Results.NotFound();
            var notice = errors.Count > 0 ? null : action switch
            {
                "save" => en ? "Saved. New roles apply when the person signs in again." : "已保存。新角色在本人重新登录后生效。",
                "password" => en ? "The password is set and the account unlocked." : "新密码已设置，账号已解锁。",
                "disable" => en ? "The account is disabled and signed out everywhere." : "账号已停用，并已在所有设备上退出。",
                _ => en ? "The account is enabled." : "账号已启用。",
            };
            return StaffPages.Page<StaffEditPage>(context, new { Account = account, Errors = errors, Notice = notice }, errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
        }).RequireForm();

        var everyone = app.MapGroup("/account/password").RequireStaff();
        everyone.MapGet("/", (HttpContext context) => StaffPages.Page<PasswordPage>(context));
        everyone.MapPost("/", async (HttpContext context, StaffAccounts accounts, SignInManager<StaffUser> signIn) =>
        {
            var form = await context.Request.ReadFormAsync();
            var errors = await accounts.ChangeOwnAsync(context.User.Identity?.Name ?? "", form["Current"].ToString(), form["Next"].ToString(), form["Repeat"].ToString(), StaffText.Language(context));
            if (errors.Count > 0)
                return StaffPages.Page<PasswordPage>(context, new { Errors = errors }, StatusCodes.Status400BadRequest);
            // The change ends the user's other sessions; this one goes on with a fresh cookie.
            if (await signIn.UserManager.GetUserAsync(context.User) is { } user)
                await signIn.RefreshSignInAsync(user);
            return StaffPages.Page<PasswordPage>(context, new { Done = true });
        }).RequireForm();
        return app;
    }
}
