using Followup.Workflows.Activities.Primitives;
using Followup.Workflows.Definitions;
using Followup.Workflows.Expressions;
using Followup.Workflows.Management;
using Followup.Workflows.Persistence;
using Followup.Workflows.Registry;
using Followup.Workflows.Runtime;
using Followup.Workflows.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Followup.Workflows;

public static class DependencyInjection
{
    /// <summary>The engine on a SQLite file, with the standard activities.</summary>
    public static IServiceCollection AddFollowupWorkflows(this IServiceCollection services, string sqliteConnectionString) =>
        services.AddFollowupWorkflows(WorkflowDatabase.Sqlite(sqliteConnectionString));

    /// <summary>The engine on EF Core (SQLite or PostgreSQL), with the standard activities.</summary>
    public static IServiceCollection AddFollowupWorkflows(this IServiceCollection services, WorkflowDatabase database)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
            Persistence.Sqlite.SqliteLibrary.Configure();
        services.AddOptions<EngineOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IIdentityGenerator, SequentialGuidIdentityGenerator>();
        services.TryAddSingleton<IConsoleOutput, StandardConsoleOutput>();
        services.TryAddSingleton<IWorkflowLock, InProcessWorkflowLock>();
        services.TryAddSingleton<Management.IDefinitionChanges, Management.LocalDefinitionChanges>();
        services.TryAddSingleton<ITimerScheduler, InProcessTimerScheduler>();
        services.TryAddSingleton(new CrashPoints());
        services.AddActivitiesFrom(typeof(DependencyInjection).Assembly);
        services.AddSingleton<WorkflowDefinitionCache>();
        services.AddSingleton<ActivityRegistry>();
        services.AddSingleton<WorkflowDefinitionReader>();
        services.AddSingleton<WorkflowDefinitionWriter>();
        services.AddSingleton<DefinitionValidator>();
        services.AddSingleton<WorkflowDefinitionService>();
        services.AddSingleton<JavaScriptEvaluator>();
        services.AddSingleton<CSharpEvaluator>();
        services.AddHttpClient(Activities.Http.HttpRequestActivity.ClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<LiquidEvaluator>();
        services.AddSingleton<ExpressionEvaluator>();
        services.AddSingleton<WorkflowRunner>();
        services.AddSingleton<BurstCommitter>();
        services.AddSingleton<DefinitionStore>();
        services.AddSingleton<WorkflowQueries>();
        services.AddSingleton<RecordModels>();
        services.AddSingleton<IWorkflowRuntime, WorkflowRuntime>();
        services.AddSingleton(database);
        services.AddSingleton<WorkflowMetrics>();
        if (database.Provider == DatabaseProvider.Postgres)
        {
            services.AddSingleton<IWorkflowRunStore, Persistence.Postgres.PostgresRunStore>();
            services.Replace(ServiceDescriptor.Singleton<IWorkflowLock, Persistence.Postgres.PostgresWorkflowLock>());
            services.Replace(ServiceDescriptor.Singleton<Management.IDefinitionChanges, Persistence.Postgres.PostgresDefinitionChanges>());
            services.AddPooledDbContextFactory<Persistence.Postgres.PostgresWorkflowDbContext>(options => database.Configure(options));
            services.AddSingleton<IDbContextFactory<WorkflowDbContext>, Persistence.Postgres.PostgresContextFactory>();
        }
        else
        {
            services.AddSingleton<IWorkflowRunStore, Persistence.Sqlite.SqliteRunStore>();
            services.AddPooledDbContextFactory<WorkflowDbContext>(options => database.Configure(options));
        }
        return services;
    }

    /// <summary>Registers every activity class (with an [Activity] attribute) of an assembly.</summary>
    public static IServiceCollection AddActivitiesFrom(this IServiceCollection services, System.Reflection.Assembly assembly)
    {
        services.AddSingleton(new ActivityAssembly(assembly));
        return services;
    }

    /// <summary>Applies migrations and loads the stored definitions into memory.</summary>
    public static async Task InitializeWorkflowsAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var factory = services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            await EarlierEngineSchema.AdoptAsync(db, cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            if (db.Database.IsSqlite())
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        await services.GetRequiredService<WorkflowDefinitionService>().LoadAsync(cancellationToken);
    }
}
