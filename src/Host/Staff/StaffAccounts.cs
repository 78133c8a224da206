using Followup.Host.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Followup.Host.Staff;

/// <summary>One staff account as a manager sees it.</summary>
public sealed record StaffAccount(string UserName, string DisplayName, string Language, IReadOnlyList<string> Roles, bool Disabled);

/// <summary>
/// Staff accounts: create, roles, disable and enable, a manager's password reset and a user's own change. The pages and
/// the <c>users</c> verb both go through here; a refusal says why in the reader's language and changes nothing.
/// </summary>
public sealed class StaffAccounts(UserManager<StaffUser> users)
{
    public static bool ValidUserName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@');

    public async Task<IReadOnlyList<StaffAccount>> ListAsync()
    {
        var list = new List<StaffAccount>();
        foreach (var user in await users.Users.OrderBy(u => u.UserName).ToListAsync())
            list.Add(await ViewAsync(user));
        return list;
    }

    public async Task<StaffAccount?> FindAsync(string userName) =>
        await users.FindByNameAsync(userName) is { } user ? await ViewAsync(user) : null;

    private async Task<StaffAccount> ViewAsync(StaffUser user) =>
        new(user.UserName!, user.DisplayName ?? user.UserName!, user.Language, [.. await users.GetRolesAsync(user)], user.LockoutEnd == DateTimeOffset.MaxValue);

    /// <summary>Creates an account with its roles; the errors (by field) when refused.</summary>
    public async Task<Dictionary<string, string>> CreateAsync(string userName, string? displayName, string language, IReadOnlyCollection<string> roles, string password, string lang)
    {
        var errors = Check(userName, roles, lang);
        if (errors.Count == 0 && await users.FindByNameAsync(userName) != null)
            errors["UserName"] = Words(lang, "此用户名已被使用。", "This user name is taken.");
        if (errors.Count > 0)
            return errors;
        var user = new StaffUser { UserName = userName, DisplayName = string.IsNullOrWhiteSpace(displayName) ? userName : displayName.Trim(), Language = language == "en" ? "en" : "zh-CN" };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            return Refused(created, lang);
        await users.AddToRolesAsync(user, roles);
        return errors;
    }

    /// <summary>Sets the display name, language and roles; a manager cannot take away their own manager role.</summary>
    public async Task<Dictionary<string, string>> UpdateAsync(string userName, string? displayName, string language, IReadOnlyCollection<string> roles, string actor, string lang)
    {
        var errors = Check(userName, roles, lang);
        if (await users.FindByNameAsync(userName) is not { } user)
            return new() { ["UserName"] = Words(lang, "没有此用户。", "There is no such user.") };
        if (userName == actor && !roles.Contains(Roles.Manager))
            errors["Roles"] = Words(lang, "不能取消自己的经理角色。", "You cannot take away your own manager role.");
        if (errors.Count > 0)
            return errors;
        user.DisplayName = string.IsNullOrWhiteSpace(displayName) ? userName : displayName.Trim();
        user.Language = language == "en" ? "en" : "zh-CN";
        await users.UpdateAsync(user);
        var current = await users.GetRolesAsync(user);
        await users.RemoveFromRolesAsync(user, current.Except(roles));
        await users.AddToRolesAsync(user, roles.Except(current));
        // Roles are read at sign-in: the person signs in again with the new ones.
        await users.UpdateSecurityStampAsync(user);
        return errors;
    }

    /// <summary>Sets a new password (a manager's reset) and unlocks the account.</summary>
    public async Task<Dictionary<string, string>> ResetPasswordAsync(string userName, string password, string lang)
    {
        if (await users.FindByNameAsync(userName) is not { } user)
            return new() { ["UserName"] = Words(lang, "没有此用户。", "There is no such user.") };
        var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
        if (!reset.Succeeded)
            return Refused(reset, lang);
        if (user.LockoutEnd != DateTimeOffset.MaxValue)
            await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        return [];
    }

    /// <summary>A disabled account cannot sign in and is signed out everywhere; a manager cannot disable themself.</summary>
    public async Task<Dictionary<string, string>> SetDisabledAsync(string userName, bool disabled, string actor, string lang)
    {
        if (await users.FindByNameAsync(userName) is not { } user)
            return new() { ["UserName"] = Words(lang, "没有此用户。", "There is no such user.") };
        if (disabled && userName == actor)
            return new() { ["UserName"] = Words(lang, "不能停用自己的账号。", "You cannot disable your own account.") };
        if (disabled)
        {
            await users.SetLockoutEnabledAsync(user, true);
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
            await users.UpdateSecurityStampAsync(user);
        }
        else
        {
            await users.SetLockoutEndDateAsync(user, null);
        }
        return [];
    }

    /// <summary>A user's own change: the current password, then the new one twice.</summary>
    public async Task<Dictionary<string, string>> ChangeOwnAsync(string userName, string current, string next, string repeat, string lang)
    {
        if (await users.FindByNameAsync(userName) is not { } user)
            return new() { ["Current"] = Words(lang, "没有此用户。", "There is no such user.") };
        if (next != repeat)
            return new() { ["Repeat"] = Words(lang, "两次输入的新密码不一致。", "The two new passwords differ.") };
        var changed = await users.ChangePasswordAsync(user, current, next);
        return changed.Succeeded ? [] : Refused(changed, lang, "Next");
    }

    private static Dictionary<string, string> Check(string userName, IReadOnlyCollection<string> roles, string lang)
    {
        var errors = new Dictionary<string, string>();
        if (!ValidUserName(userName))
            errors["UserName"] = Words(lang, "用户名为 1–64 个字母、数字或 . _ - @。", "A user name is 1–64 letters, digits, '.', '_', '-' or '@'.");
        if (roles.Count == 0)
            errors["Roles"] = Words(lang, "请至少选择一个角色。", "Choose at least one role.");
        else if (roles.Any(r => !Roles.All.Contains(r)))
            errors["Roles"] = Words(lang, "未知角色。", "Unknown role.");
        return errors;
    }

    /// <summary>Identity's refusals in the reader's words, under the field they concern.</summary>
    private static Dictionary<string, string> Refused(IdentityResult result, string lang, string passwordField = "Password")
    {
        var errors = new Dictionary<string, string>();
        foreach (var error in result.Errors)
        {
            var (field, zh) = error.Code switch
            {
                "PasswordTooShort" => (passwordField, "密码至少 10 个字符。"),
                "PasswordRequiresDigit" => (passwordField, "密码须包含数字。"),
                "PasswordRequiresLower" => (passwordField, "密码须包含小写字母。"),
                "PasswordRequiresUpper" => (passwordField, "密码须包含大写字母。"),
                "PasswordRequiresNonAlphanumeric" => (passwordField, "密码须包含符号。"),
                "PasswordRequiresUniqueChars" => (passwordField, "密码须包含更多不同的字符。"),
                "PasswordMismatch" => ("Current", "当前密码不正确。"),
                "DuplicateUserName" => ("UserName", "此用户名已被使用。"),
                "InvalidUserName" => ("UserName", "用户名无效。"),
                _ => (passwordField, error.Description),
            };
            var text = lang == "en" ? (error.Code == "PasswordMismatch" ? "The current password is not right." : error.Description) : zh;
            errors[field] = errors.TryGetValue(field, out var before) ? $"{before} {text}" : text;
        }
        return errors;
    }

    private static string Words(string lang, string zh, string en) => lang == "en" ? en : zh;
}
