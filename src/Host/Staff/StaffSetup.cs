using System.Security.Cryptography.X509Certificates;
using Followup.Host.Security;
using Followup.Workflows.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Followup.Host.Staff;

/// <summary>Staff sign-in (ASP.NET Core Identity, cookie), roles, lockout, and the API's schemes (API keys, designer tokens).</summary>
public static class StaffSetup
{
    public const string HistoryTable = "__StaffMigrationsHistory";

    public static IServiceCollection AddFollowupStaff(this IServiceCollection services, WorkflowDatabase database, IConfiguration configuration)
    {
        // From a pool: every signed-in request builds the sign-in manager, and with it a staff context (for the cookie's
        // security stamp), mostly without querying; a pooled one costs neither new options nor new internal services.
        if (database.Provider == DatabaseProvider.Postgres)
        {
            services.AddDbContextPool<PostgresStaffDbContext>(o => database.Configure(o, HistoryTable));
            services.AddScoped<StaffDbContext>(sp => sp.GetRequiredService<PostgresStaffDbContext>());
        }
        else
        {
            services.AddDbContextPool<SqliteStaffDbContext>(o => database.Configure(o, HistoryTable));
            services.AddScoped<StaffDbContext>(sp => sp.GetRequiredService<SqliteStaffDbContext>());
        }
        // One key ring for every host on the database, kept across restarts; encrypted with a certificate when one is given.
        var keys = services.AddDataProtection().SetApplicationName("Followup").PersistKeysToDbContext<StaffDbContext>();
        if (configuration["DataProtection:CertificatePath"] is { Length: > 0 } certificate)
            keys.ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(certificate, configuration["DataProtection:CertificatePassword"]));
        services.AddIdentity<StaffUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                // Guessing is slowed per address first (LoginThrottle); the account itself locks only after many failures.
                o.Lockout.MaxFailedAccessAttempts = 30;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<StaffDbContext>()
            .AddDefaultTokenProviders();
        services.AddScoped<StaffAccounts>();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "followup.staff";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = c => ApiAware(c, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = c => ApiAware(c, StatusCodes.Status403Forbidden);
        });
        services.AddSingleton<DesignerTokens>();
        services.AddSingleton<LoginThrottle>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, DesignerTokenHandler>(DesignerTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Manager, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, ApiKeyAuthenticationHandler.SchemeName, DesignerTokenHandler.SchemeName)
                .RequireRole(Roles.Manager));
        return services;
    }

    /// <summary>API callers get a status code, people in a browser the sign-in or refusal page.</summary>
    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/elsa/api") || path.StartsWithSegments("/api"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Applies the staff migrations, creates the roles, and in the demo profile the demo users of the README.</summary>
    public static async Task InitializeStaffAsync(this IServiceProvider services, bool seedDemoUsers, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StaffDbContext>().Database.MigrateAsync(cancellationToken);
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
        }
        if (!seedDemoUsers)
            return;
        foreach (var (user, name, role, language) in DemoUsers)
            await EnsureUserAsync(scope.ServiceProvider, user, DemoPassword(user), name, role, language);
    }

    public static readonly (string UserName, string DisplayName, string Role, string Language)[] DemoUsers =
    [
        ("manager", "王经理 Wang (service manager)", Roles.Manager, "zh-CN"),
        ("advisor", "李顾问 Li (service advisor)", Roles.Advisor, "zh-CN"),
        ("technician", "张师傅 Zhang (technician)", Roles.Technician, "zh-CN"),
        ("lead", "孙主管 Sun (technical lead)", Roles.TechnicalLead, "zh-CN"),
        ("callback", "Emma (callback agent)", Roles.CallbackAgent, "en"),
    ];

    /// <summary>Demo profile only, and listed in the README: the user name followed by "-demo-2026".</summary>
    public static string DemoPassword(string userName) => $"{userName}-demo-2026";

    public static async Task<StaffUser> EnsureUserAsync(IServiceProvider services, string userName, string password, string displayName, string role, string language)
    {
        var users = services.GetRequiredService<UserManager<StaffUser>>();
        if (await users.FindByNameAsync(userName) is { } existing)
            return existing;
        var user = new StaffUser { UserName = userName, DisplayName = displayName, Language = language };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            throw new InvalidOperationException($"Could not create {userName}: {string.Join("; ", created.Errors.Select(e => e.Description))}");
        await users.AddToRoleAsync(user, role);
        return user;
    }
}
