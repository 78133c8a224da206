using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Followup.Host.Security;

public static class Policies
{
    /// <summary>Staff pages and the staff API: signed in by cookie, in one of <paramref name="roles"/> (any staff role when none are named).</summary>
    public static TBuilder RequireStaff<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(p => p.AddAuthenticationSchemes(Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme).RequireRole(roles.Length > 0 ? roles : Roles.All));

    /// <summary>The staff API: signed in by cookie in one of <paramref name="roles"/>, or an integration's API key.</summary>
    public static TBuilder RequireStaffOrApiKey<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(p => p.AddAuthenticationSchemes(Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme, ApiKeyAuthenticationHandler.SchemeName).RequireRole(roles));

    /// <summary>Designing and operating workflows: managers, and API keys.</summary>
    public const string Manager = "Manager";
}
