using Followup.Activities;
using Followup.Activities.Messaging;
using Followup.Host.Api;
using Followup.Host.Customers;
using Followup.Host.Designer;
using Followup.Host.Inbox;
using Followup.Host.Messaging;
using Followup.Host.Scheduling;
using Followup.Host.Security;
using Followup.Host.Staff;
using Followup.Workflows;
using Followup.Workflows.Management;
using Followup.Workflows.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Resources;

namespace Followup.Host.Hosting;

/// <summary>Ready only when the engine's database answers.</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<WorkflowDbContext> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database does not answer.");
    }
}
