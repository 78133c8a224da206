using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Followup.Host.Security;

public sealed class DesignerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, DesignerTokens tokens,
    UserManager<Staff.StaffUser> users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DesignerToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        // The session that issued it must still be on: the user exists, is not locked, and has not signed out since.
        if (tokens.Read(header[7..].Trim()) is not { } token
            || await users.FindByNameAsync(token.UserName) is not { } user
            || user.SecurityStamp != token.Stamp
            || await users.IsLockedOutAsync(user))
        {
            return AuthenticateResult.Fail("The designer token is not valid, has expired, or its session has ended.");
        }
        var claims = new List<Claim> { new(ClaimTypes.Name, token.UserName) };
        claims.AddRange(token.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}
