using Followup.Activities;
using Followup.Workflows;
using Followup.Workflows.Management;
using Followup.Workflows.Runtime;

namespace Followup.Host.Hosting;

public static class FollowupHosting
{
    public static WebApplicationBuilder AddFollowup(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Followup") ?? "Data Source=followup.db";
        builder.Services.AddFollowupWorkflows(connectionString);
        builder.Services.AddFollowupActivities();
        builder.Services.AddOptions<EngineOptions>().BindConfiguration(EngineOptions.SectionName);
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>Migrates the database, loads definitions, and imports shipped workflows that are not stored yet.</summary>
    public static async Task InitializeFollowupAsync(this WebApplication app)
    {
        await app.Services.InitializeWorkflowsAsync(app.Lifetime.ApplicationStopping);
        var folder = app.Configuration["Engine:DefinitionsPath"] ?? Path.Combine(AppContext.BaseDirectory, "workflows-json");
        await ShippedWorkflows.ImportAsync(app.Services, folder, app.Lifetime.ApplicationStopping);
    }

    public static WebApplication MapFollowup(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.MapHealthChecks("/health/live");
        app.MapHealthChecks("/health/ready");
        app.MapGet("/", () => Results.Text("Followup is running. The designer, inbox and APIs are served by this host.", "text/plain"));
        return app;
    }
}

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
        if (files.Count > 0)
            await definitions.ImportManyAsync(files, ImportMode.NewVersion, publish: true, cancellationToken);
    }
}
