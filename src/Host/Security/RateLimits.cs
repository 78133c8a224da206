using System.Threading.RateLimiting;

namespace Followup.Host.Security;

/// <summary>Limits for endpoints anyone may call: so many requests a minute from one address, then 429.</summary>
public static class RateLimits
{
    /// <summary>A policy of at most <paramref name="setting"/> requests a minute per address (<paramref name="perMinute"/> unless set).</summary>
    public static IServiceCollection AddPerAddressLimit(this IServiceCollection services, string policy, string setting, int perMinute) =>
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(policy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = context.RequestServices.GetRequiredService<IConfiguration>().GetValue(setting, perMinute),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });
}
