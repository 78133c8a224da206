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
using Followup.Workflows.Runtime;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Followup.Host.Hosting;

/// <summary>The workflows in <c>workflows-json/</c>: each one not stored yet is imported and published at start.</summary>
public static class ShippedWorkflows
{
    public static async Task ImportAsync(IServiceProvider services, string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
            return;
        var cache = services.GetRequiredService<WorkflowDefinitionCache>();
        var definitions = services.GetRequiredService<WorkflowDefinitionService>();
        var files = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal)
            .Select(f => (Source: Path.GetFileName(f), Json: File.ReadAllText(f)))
            .Where(f => cache.Versions(Followup.Workflows.Definitions.WorkflowDefinitionReader.ParseJson(f.Json)["definitionId"]?.GetValue<string>() ?? "").Count == 0)
            .ToList();
        if (files.Count == 0)
            return;
        try
        {
            await definitions.ImportManyAsync(files, ImportMode.NewVersion, publish: true, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another host sharing the database imported them first.
            await definitions.LoadAsync(cancellationToken);
        }
    }
}
