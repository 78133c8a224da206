using Followup.Workflows.Configuration;
using Followup.Workflows.Persistence;
using Followup.Workflows.Scheduling;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Followup.Host.Scheduling;

/// <summary>Hangfire as the engine's timer port: storage chosen by configuration, a server, the sweep and the dashboard.</summary>
public static class HangfireSetup
{
    public const string SweepJobId = "followup:timer-sweep";

    public static IServiceCollection AddFollowupHangfire(this IServiceCollection services, IConfiguration configuration, WorkflowDatabase database)
    {
        var options = configuration.GetSection(SchedulingOptions.SectionName).Get<SchedulingOptions>() ?? new SchedulingOptions();
        services.AddCheckedOptions<SchedulingOptions>(SchedulingOptions.SectionName);
        // Each host keeps its own job store and job activator as services. Hangfire's configuration is process-wide
        // (the last host to start sets JobStorage.Current and the log provider), but everything that schedules, runs or
        // shows jobs takes them from the host's services, so two hosts in one process (the tests) never share a store.
        services.AddSingleton<JobStorage>(_ => Storage(options, configuration, database));
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, c) => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .UseStorage(sp.GetRequiredService<JobStorage>()));
        if (options.Server)
        {
            services.AddHangfireServer(o =>
            {
                o.Queues = [HangfireTimerScheduler.Queue, Messaging.OutboxJobs.Queue, "default"];
                o.SchedulePollingInterval = options.SchedulePollInterval;
                o.WorkerCount = options.WorkerCount > 0 ? options.WorkerCount : Math.Min(Environment.ProcessorCount * 4, 16);
            });
        }
        services.AddSingleton<HangfireTimerScheduler>();
        services.Replace(ServiceDescriptor.Singleton<ITimerScheduler>(sp => sp.GetRequiredService<HangfireTimerScheduler>()));
        services.AddSingleton<HangfireTriggerScheduler>();
        services.Replace(ServiceDescriptor.Singleton<ITriggerScheduler>(sp => sp.GetRequiredService<HangfireTriggerScheduler>()));
        services.AddSingleton<TimerSweep>();
        services.AddSingleton<TimerDrain>();
        services.AddTransient<TimerJobs>();
        services.AddHealthChecks().AddCheck<HangfireStorageHealthCheck>("hangfire", tags: ["ready"]);
        return services;
    }

    private static JobStorage Storage(SchedulingOptions options, IConfiguration configuration, WorkflowDatabase database)
    {
        switch (StorageKind(options, database))
        {
            case "INMEMORY":
                return new InMemoryStorage(new InMemoryStorageOptions { MaxExpirationTime = TimeSpan.FromHours(1) });
            case "POSTGRES":
                var connection = configuration.GetConnectionString("Hangfire") is { } own ? WorkflowDatabase.PreparingStatements(own) : database.ConnectionString;
                var postgres = new PostgreSqlStorageOptions
                {
                    QueuePollInterval = options.QueuePollInterval,
                    InvisibilityTimeout = options.InvisibilityTimeout,
                    PrepareSchemaIfNecessary = true,
                };
                return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connection, postgres), postgres);
            default:
                var connections = SqliteConnections(options.SqlitePath);
                var storage = new SQLiteStorage(connections, new SQLiteStorageOptions
                {
                    QueuePollInterval = options.QueuePollInterval,
                    InvisibilityTimeout = options.InvisibilityTimeout,
                    JournalMode = SQLiteStorageOptions.JournalModes.WAL,
                });
                IndexSets(connections);
                return storage;
        }
    }

    /// <summary>
    /// The job store's connections: WAL with synchronous=NORMAL, so a commit appends to the log without waiting for
    /// the disk (still crash-safe; a power loss can drop the last commits, which the timer sweep re-creates from the
    /// engine's bookmarks), and a busy timeout instead of "database is locked".
    /// </summary>
    private static SQLiteDbConnectionFactory SqliteConnections(string path) => new(() =>
    {
        var connection = new SQLite.SQLiteConnection(path, SQLite.SQLiteOpenFlags.ReadWrite | SQLite.SQLiteOpenFlags.Create | SQLite.SQLiteOpenFlags.NoMutex, storeDateTimeAsTicks: true)
        {
            BusyTimeout = TimeSpan.FromSeconds(10),
        };
        connection.ExecuteScalar<string>("PRAGMA journal_mode=WAL");
        connection.Execute("PRAGMA synchronous=NORMAL");
        return connection;
    });

    /// <summary>
    /// The job store's sets (every scheduled job is an entry of the set "schedule") are looked up by key and value, when a
    /// job is scheduled or leaves the schedule, and by key and score, when the scheduler takes the next job due. The
    /// store indexes key, value and score each alone, and SQLite answers both lookups through the key's index: it reads
    /// every entry of the schedule, 100,000 with a dealer's months of reminders waiting, for each timer set or due, and
    /// the store writes one at a time. An index on each pair lets both go straight to their entry.
    /// </summary>
    private static void IndexSets(SQLiteDbConnectionFactory connections)
    {
        using var connection = connections.Create();
        connection.Execute("CREATE INDEX IF NOT EXISTS \"IX_Set_Key_Value\" ON \"Set\" (\"Key\", \"Value\")");
        connection.Execute("CREATE INDEX IF NOT EXISTS \"IX_Set_Key_Score\" ON \"Set\" (\"Key\", \"Score\")");
    }

    private static string StorageKind(SchedulingOptions options, WorkflowDatabase database) =>
        options.Storage?.Trim().ToUpperInvariant() switch
        {
            "INMEMORY" or "MEMORY" => "INMEMORY",
            "POSTGRES" or "POSTGRESQL" => "POSTGRES",
            "SQLITE" => "SQLITE",
            null or "" => database.Provider == DatabaseProvider.Postgres ? "POSTGRES" : "SQLITE",
            var other => throw new InvalidOperationException($"Unknown Hangfire storage '{other}'. Use Sqlite, Postgres or InMemory."),
        };

    /// <summary>Re-creates lost jobs (beside the start), registers the minute sweep and runs it once.</summary>
    public static void StartFollowupScheduling(this IServiceProvider services, CancellationToken cancellationToken)
    {
        services.GetRequiredService<TimerSweep>().StartRecovery(cancellationToken);
        services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<TimerJobs>(SweepJobId, HangfireTimerScheduler.Queue,
            j => j.SweepAsync(CancellationToken.None), Cron.Minutely());
        services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<Messaging.OutboxJobs>(Messaging.OutboxJobs.SweepJobId, Messaging.OutboxJobs.Queue,
            j => j.SweepAsync(CancellationToken.None), Cron.Minutely());
        var jobs = services.GetRequiredService<IBackgroundJobClient>();
        jobs.Enqueue<TimerJobs>(HangfireTimerScheduler.Queue, j => j.SweepAsync(CancellationToken.None));
        jobs.Enqueue<Messaging.OutboxJobs>(Messaging.OutboxJobs.Queue, j => j.SweepAsync(CancellationToken.None));
    }

    /// <summary>
    /// The dashboard at <c>/hangfire</c>, for signed-in managers only, wherever the request comes from (a proxy on this
    /// machine makes every visitor look local). Others are sent to sign in, or refused.
    /// </summary>
    public static WebApplication MapFollowupDashboard(this WebApplication app)
    {
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/hangfire"), branch => branch.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated != true)
            {
                await context.ChallengeAsync(Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme);
                return;
            }
            if (!context.User.IsInRole(Security.Roles.Manager))
            {
                await context.ForbidAsync(Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme);
                return;
            }
            await next(context);
        }));
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new ManagersOnly()],
            DashboardTitle = "Followup jobs",
            AppPath = "/",
        });
        return app;
    }

    private sealed class ManagersOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Security.Roles.Manager);
    }
}
