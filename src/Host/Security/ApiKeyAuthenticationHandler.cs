using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Followup.Host.Security;

/// <summary>
/// <c>Authorization: ApiKey &lt;key&gt;</c> for integrations, scripts and the designer's api-key attribute. Keys are
/// configured under <c>Elsa:ApiKeys</c> (never in the repository); a key acts with the Manager role.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IConfiguration configuration) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.NoResult());
        var presented = Encoding.UTF8.GetBytes(header[(SchemeName.Length + 1)..].Trim());
        var keys = configuration.GetSection("Elsa:ApiKeys").Get<string[]>() ?? [];
        var match = keys.Where(k => !string.IsNullOrWhiteSpace(k))
            .Any(k => CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(k)), SHA256.HashData(presented)));
        if (!match)
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "api-key"), new Claim(ClaimTypes.Role, Roles.Manager)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
