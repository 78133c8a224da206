using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Followup.Host.Security;

/// <summary>
/// The short-lived bearer token the designer page hands to Elsa Studio (its <c>access-token</c> attribute): the signed-in
/// staff member's name and roles, protected by the host's data-protection keys, valid for a few hours.
/// </summary>
public sealed class DesignerTokens(IDataProtectionProvider protection)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Followup.DesignerToken").ToTimeLimitedDataProtector();

    public string Issue(ClaimsPrincipal user)
    {
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value);
        return _protector.Protect($"{user.Identity!.Name}\n{string.Join(',', roles)}", Lifetime);
    }

    public ClaimsPrincipal? Read(string token)
    {
        try
        {
            // Throws when the token was tampered with or has expired (data protection keeps its own clock).
            var parts = _protector.Unprotect(token).Split('\n');
            var claims = new List<Claim> { new(ClaimTypes.Name, parts[0]) };
            claims.AddRange(parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => new Claim(ClaimTypes.Role, r)));
            return new ClaimsPrincipal(new ClaimsIdentity(claims, DesignerTokenHandler.SchemeName));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}

public sealed class DesignerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, DesignerTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DesignerToken";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.NoResult());
        return Task.FromResult(tokens.Read(header[7..].Trim()) is { } principal
            ? AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName))
            : AuthenticateResult.Fail("The designer token is not valid or has expired."));
    }
}
