using Followup.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Activities;

public static class DependencyInjection
{
    /// <summary>The dealership's activities, data and messaging.</summary>
    public static IServiceCollection AddFollowupActivities(this IServiceCollection services) =>
        services.AddActivitiesFrom(typeof(DependencyInjection).Assembly);
}
