using Followup.Activities;
using Followup.Activities.Messaging;
using Followup.Host.Api;
using Followup.Host.Api.Views;
using Followup.Host.Customers;
using Followup.Host.Designer;
using Followup.Host.Inbox;
using Followup.Host.Messaging;
using Followup.Host.Scheduling;
using Followup.Host.Security;
using Followup.Host.Staff;
using Followup.Workflows;
using Followup.Workflows.Configuration;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

using Followup.Host.Pages;

namespace Followup.Host.Hosting;

public static class FollowupHosting
{
    /// <summary>
    /// The host's builder. Its settings are read and checked once, as it starts (a wrong one stops it with a message), so
    /// it does not watch its settings files for changes: that watcher follows the content root and everything below it,
    /// and woke on every write of a store kept there (the demo's followup.db lies in the project's folder).
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, string? contentRoot = null) =>
        WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"], ContentRootPath = contentRoot });

    public static WebApplicationBuilder AddFollowup(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var database = WorkflowDatabase.Of(configuration["Database:Provider"], configuration.GetConnectionString("Followup") ?? "Data Source=followup.db");
        builder.Services.AddSingleton(new CrashPoints(configuration["Testing:CrashAt"], configuration.GetValue("Testing:CrashOnHit", 1)));
        builder.Services.AddFollowupWorkflows(database);
        builder.Services.AddFollowupActivities(configuration, database);
        builder.Services.AddCheckedOptions<EngineOptions>(EngineOptions.SectionName);
        builder.Services.AddFollowupHangfire(configuration, database);
        builder.Services.AddSingleton<Followup.Host.Messaging.OutboxQueue>();
        builder.Services.AddSingleton<IOutboxQueue>(sp => sp.GetRequiredService<Followup.Host.Messaging.OutboxQueue>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Followup.Host.Messaging.OutboxQueue>());
        builder.Services.AddTransient<Followup.Host.Messaging.OutboxJobs>();
        builder.Services.AddSingleton<Followup.Host.Messaging.MessagingMetrics>();
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        builder.Services.AddFollowupStaff(database, configuration);
        builder.Services.AddHttpSecurity(configuration);
        builder.Services.AddCustomerPages();
        builder.Services.AddHttpWorkflows();
        builder.Services.AddOpenApi();
        builder.Services.AddRazorComponents();
        // Pages carry Chinese as it is, not as character references.
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddSingleton<Attachments>();
        builder.Services.AddSingleton<Followup.Host.Api.FrontDesk>();
        builder.Services.AddSingleton<Followup.Host.Messaging.SmsReplies>();
        builder.Services.AddSingleton<Followup.Host.Settings.StoreSettings>();

        var otel = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService("followup"));
        otel.WithMetrics(m =>
        {
            m.AddMeter(WorkflowMetrics.MeterName, Followup.Host.Messaging.MessagingMetrics.MeterName);
            if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                m.AddOtlpExporter();
        });
        return builder;
    }

    /// <summary>Migrates the database, loads definitions, imports shipped workflows that are not stored yet, and starts timer recovery.</summary>
    public static async Task InitializeFollowupAsync(this WebApplication app)
    {
        var stopping = app.Lifetime.ApplicationStopping;
        // Wrong settings stop the host here, naming each, before anything is opened with them.
        app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        // Hosts starting together on one database take turns: migrations, seeds and imports run one host at a time, and
        // each finds what the one before it wrote (on SQLite, one host, the lock is this process's).
        await using var startup = await app.Services.GetRequiredService<Followup.Workflows.Scheduling.IWorkflowLock>().AcquireNamedAsync("startup", stopping);
        await app.Services.InitializeWorkflowsAsync(stopping);
        app.Services.GetRequiredService<Followup.Workflows.Management.IDefinitionChanges>().Listen(stopping);
        // Demo users have passwords everyone can read in the README: never outside Development.
        var demo = app.Configuration.GetValue<bool>("Demo:Seed") && app.Environment.IsDevelopment();
        if (app.Configuration.GetValue<bool>("Demo:Seed") && !demo)
            HostLog.DemoSeedIgnored(app.Logger, app.Environment.EnvironmentName);
        await app.Services.InitializeStaffAsync(demo, stopping);
        // The key ring lives in the database: its first key is made now, on its own, and never by a workflow step
        // signing a customer's link inside the step's write transaction (which the key's insert would wait on).
        app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>().CreateProtector("Followup.Startup").Protect("ready"u8.ToArray());
        await app.Services.InitializeActivitiesAsync(stopping);
        await app.Services.GetRequiredService<Followup.Host.Settings.StoreSettings>().LoadAsync(stopping);
        var folder = app.Configuration["Engine:DefinitionsPath"] ?? Path.Combine(AppContext.BaseDirectory, "workflows-json");
        await ShippedWorkflows.ImportAsync(app.Services, folder, stopping);
        app.Services.StartFollowupScheduling(stopping);
        await app.Services.GetRequiredService<Followup.Activities.Tasks.StrandedDecisions>().ResumeAsync(stopping);
        await using (var dealership = await app.Services.GetRequiredService<IDbContextFactory<Followup.Activities.Data.DealershipDbContext>>().CreateDbContextAsync(stopping))
            await app.Services.GetRequiredService<Followup.Host.Api.FrontDesk>().RecoverAsync(dealership, stopping);
        if (demo)
            await DemoData.SeedAsync(app.Services, stopping);
    }

    public static WebApplication MapFollowup(this WebApplication app)
    {
        app.UseHttpSecurity();
        app.UseExceptionHandler();
        app.UseBadRequestProblems();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.UseAntiforgeryEverywhere();
        app.MapStaffAssets();
        app.MapAccountPages();
        app.MapStaffAccountPages();
        Followup.Host.Settings.SettingsPages.MapSettingsPages(app);
        app.MapDesigner();
        Followup.Host.Designer.InstancePages.MapInstancePages(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapFollowupDashboard();
        app.MapElsaApi().MapWorkflowApi().MapDefinitionsApi();
        app.MapHttpWorkflows();
        app.MapTwilioWebhooks();
        app.MapMainlandSmsWebhooks();
        app.MapMessagesPage();
        var openApi = app.MapOpenApi("/openapi/{documentName}.json");
        if (!app.Environment.IsDevelopment())
            openApi.RequireStaffOrApiKey(Roles.All);
        app.MapInbox();
        app.MapVisitPage();
        Followup.Host.Desk.DeskPages.MapDeskPages(app);
        app.MapCustomersApi();
        app.MapServiceApi();
        app.MapBoard();
        app.MapDashboard();
        app.MapAttachmentEndpoints();
        app.MapCustomerPages();
        app.MapBookingPages();
        app.MapTasksApi();
        app.MapGet("/api/messages", async Task<Ok<ItemList<MessageView>>> (OutboxStore store, string? correlationId, CancellationToken ct) =>
            TypedResults.Ok(new ItemList<MessageView>((await store.ListAsync(correlationId, 200, ct)).Select(MessageView.From).ToList())))
            .RequireAuthorization(Policies.Manager).WithTags("Messages").WithSummary("The latest messages to customers (of one visit with correlationId), their links masked.");
        app.MapGet("/", (HttpContext context) => StaffPages.Page<Followup.Host.Pages.Account.HomePage>(context));
        return app;
    }
}
