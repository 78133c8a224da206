using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Followup.Host.Security;

/// <summary>
/// The short-lived bearer token the designer page hands to Elsa Studio (its <c>access-token</c> attribute): the signed-in
/// staff member's name, roles and security stamp, protected by the data-protection keys. It ends with the sign-in
/// session: it expires when the session's cookie does (8 hours at most), and signing out changes the stamp, which the
/// token then no longer matches.
/// </summary>
public sealed class DesignerTokens(IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Followup.DesignerToken").ToTimeLimitedDataProtector();

    public string Issue(ClaimsPrincipal user, string securityStamp, DateTimeOffset? sessionEnds)
    {
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value);
        // What is left of the session on the host's clock; the protector counts it on its own.
        var lifetime = sessionEnds is { } ends && ends - clock.GetUtcNow() < Lifetime ? ends - clock.GetUtcNow() : Lifetime;
        return _protector.Protect($"{user.Identity!.Name}\n{string.Join(',', roles)}\n{securityStamp}", lifetime > TimeSpan.Zero ? lifetime : TimeSpan.FromSeconds(1));
    }

    /// <summary>The token's user name, roles and stamp; null when it was tampered with or has expired.</summary>
    public (string UserName, string[] Roles, string Stamp)? Read(string token)
    {
        try
        {
            var parts = _protector.Unprotect(token).Split('\n');
            return parts.Length == 3 ? (parts[0], parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries), parts[2]) : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
