using Followup.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Activities.Data;

/// <summary>The dealership's data: customers with their language and consent, vehicles, mileage, and the audit trail.</summary>
public class DealershipDbContext(DbContextOptions options) : DbContext(options)
{
    public const string HistoryTable = "__DealershipMigrationsHistory";

    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Vehicle> Vehicles => Set<Vehicle>();
    public DbSet<MileageReading> MileageReadings => Set<MileageReading>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<Visit> Visits => Set<Visit>();
    public DbSet<Appointment> Appointments => Set<Appointment>();
    public DbSet<CheckIn> CheckIns => Set<CheckIn>();
    public DbSet<Concern> Concerns => Set<Concern>();
    public DbSet<CatalogItem> Catalog => Set<CatalogItem>();
    public DbSet<Estimate> Estimates => Set<Estimate>();
    public DbSet<EstimateLine> EstimateLines => Set<EstimateLine>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<InvoiceLine> InvoiceLines => Set<InvoiceLine>();
    public DbSet<CallbackRecord> Callbacks => Set<CallbackRecord>();
    public DbSet<ReminderRecord> Reminders => Set<ReminderRecord>();
    public DbSet<Comeback> Comebacks => Set<Comeback>();
    public DbSet<NumberSeries> NumberSeries => Set<NumberSeries>();
    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();
    public DbSet<UsedLink> UsedLinks => Set<UsedLink>();
    public DbSet<StoreSetting> StoreSettings => Set<StoreSetting>();
    public DbSet<Messaging.OutboxRecord> Outbox => Set<Messaging.OutboxRecord>();
    public DbSet<Messaging.ContactConsentRecord> ContactConsents => Set<Messaging.ContactConsentRecord>();
    public DbSet<Messaging.InboundMessageRecord> InboundMessages => Set<Messaging.InboundMessageRecord>();
    public DbSet<Messaging.ShortLinkRecord> ShortLinks => Set<Messaging.ShortLinkRecord>();
    public DbSet<Tasks.HumanTaskRecord> HumanTasks => Set<Tasks.HumanTaskRecord>();
    public DbSet<Approvals.ApprovalRecord> Approvals => Set<Approvals.ApprovalRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<StoreSetting>(e =>
        {
            e.HasKey(s => s.Key);
            e.Property(s => s.Key).HasMaxLength(64);
        });
        modelBuilder.Entity<Customer>(e =>
        {
            e.ToTable("Customers");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Phone);
            e.HasIndex(x => x.Name);
            e.HasMany(x => x.Vehicles).WithOne().HasForeignKey(v => v.CustomerId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<Vehicle>(e =>
        {
            e.ToTable("Vehicles");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Vin).IsUnique();
            e.HasIndex(x => x.Plate);
            e.HasMany(x => x.Mileage).WithOne().HasForeignKey(m => m.VehicleId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<MileageReading>(e =>
        {
            e.ToTable("MileageReadings");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.VehicleId, x.ReadAt });
        });
        modelBuilder.Entity<Visit>(e =>
        {
            e.ToTable("Visits");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Number).IsUnique();
            e.HasIndex(x => new { x.Status, x.PromisedAt });
            e.HasIndex(x => x.VehicleId);
            // The dashboard's period.
            e.HasIndex(x => x.CreatedAt);
        });
        modelBuilder.Entity<Appointment>(e =>
        {
            e.ToTable("Appointments");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.Status, x.SlotAt });
            e.HasIndex(x => x.VehicleId);
        });
        modelBuilder.Entity<CheckIn>(e =>
        {
            e.ToTable("CheckIns");
            e.HasKey(x => x.VisitId);
        });
        modelBuilder.Entity<Concern>(e =>
        {
            e.ToTable("Concerns");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.VisitId);
        });
        modelBuilder.Entity<CatalogItem>(e =>
        {
            e.ToTable("Catalog");
            e.HasKey(x => x.Code);
            e.Property(x => x.LabourHours).HasPrecision(8, 2);
            e.Property(x => x.PartsPrice).HasPrecision(12, 2);
            e.Property(x => x.MenuPrice).HasPrecision(12, 2);
        });
        modelBuilder.Entity<Estimate>(e =>
        {
            e.ToTable("Estimates");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.VisitId, x.Kind });
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.EstimateId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<EstimateLine>(e =>
        {
            e.ToTable("EstimateLines");
            e.HasKey(x => x.Id);
            e.Property(x => x.Hours).HasPrecision(8, 2);
            e.Property(x => x.Labour).HasPrecision(12, 2);
            e.Property(x => x.Parts).HasPrecision(12, 2);
        });
        modelBuilder.Entity<Invoice>(e =>
        {
            e.ToTable("Invoices");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.VisitId).IsUnique();
            e.HasIndex(x => x.Number).IsUnique();
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.InvoiceId).OnDelete(DeleteBehavior.Cascade);
            e.Property(x => x.SettledTotal).HasPrecision(14, 2);
            e.Property(x => x.EstimatedTotal).HasPrecision(14, 2);
        });
        modelBuilder.Entity<InvoiceLine>(e =>
        {
            e.ToTable("InvoiceLines");
            e.HasKey(x => x.Id);
            e.Property(x => x.Labour).HasPrecision(12, 2);
            e.Property(x => x.Parts).HasPrecision(12, 2);
            e.Property(x => x.Discount).HasPrecision(12, 2);
            e.Property(x => x.ApprovedPrice).HasPrecision(12, 2);
        });
        modelBuilder.Entity<CallbackRecord>(e =>
        {
            e.ToTable("Callbacks");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.VisitId);
        });
        modelBuilder.Entity<ReminderRecord>(e =>
        {
            e.ToTable("Reminders");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.VehicleId, x.Status });
        });
        modelBuilder.Entity<Comeback>(e =>
        {
            e.ToTable("Comebacks");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.VisitId).IsUnique();
        });
        modelBuilder.Entity<NumberSeries>(e =>
        {
            e.ToTable("NumberSeries");
            e.HasKey(x => x.Name);
        });
        modelBuilder.Entity<IdempotentRequest>(e =>
        {
            e.ToTable("IdempotentRequests");
            e.HasKey(x => new { x.Scope, x.Key });
            e.HasIndex(x => x.CreatedAt);
        });
        modelBuilder.Entity<UsedLink>(e =>
        {
            e.ToTable("UsedLinks");
            e.HasKey(x => x.Hash);
        });
        modelBuilder.Entity<Messaging.OutboxRecord>(e =>
        {
            e.ToTable("Outbox");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.IdempotencyKey).IsUnique();
            e.HasIndex(x => new { x.Status, x.NotBefore });
            e.HasIndex(x => x.ProviderId);
            e.HasIndex(x => x.CorrelationId);
        });
        modelBuilder.Entity<Messaging.ContactConsentRecord>(e =>
        {
            e.ToTable("ContactConsents");
            e.HasKey(x => new { x.Channel, x.Address });
        });
        modelBuilder.Entity<Messaging.InboundMessageRecord>(e =>
        {
            e.ToTable("InboundMessages");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.ProviderId).IsUnique();
            e.HasIndex(x => new { x.From, x.ReceivedAt });
        });
        modelBuilder.Entity<Messaging.ShortLinkRecord>(e =>
        {
            e.ToTable("ShortLinks");
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(Messaging.ShortLinks.CodeLength);
        });
        modelBuilder.Entity<Tasks.HumanTaskRecord>(e =>
        {
            e.ToTable("HumanTasks");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.Status, x.AssigneeRole, x.DueAt });
            e.HasIndex(x => new { x.Status, x.AssigneeUser });
            e.HasIndex(x => x.InstanceId);
            e.HasIndex(x => x.CorrelationId);
        });
        modelBuilder.Entity<Approvals.ApprovalRecord>(e =>
        {
            e.ToTable("Approvals");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.InstanceId);
            e.HasIndex(x => x.CorrelationId);
        });
        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable("Audit");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.EntityType, x.EntityId });
        });
    }

    /// <summary>
    /// The lines of a visit the customer declined or never answered, on estimates that were decided (or timed out): the
    /// invoice's safety note, the next reminder and the next visit's pages name them, safety items first.
    /// </summary>
    public IQueryable<EstimateLine> NotApproved(string visitId) => EstimateLines.AsNoTracking()
        .Where(l => l.Approved != true && Estimates.Any(e => e.Id == l.EstimateId && e.VisitId == visitId && e.Status != EstimateStatus.Pending))
        .OrderByDescending(l => l.Safety).ThenBy(l => l.Id);

    /// <summary>The car's reminders still working, of one kind or all (one of each kind at a time; a visit, a booking or a newer reminder closes them).</summary>
    public IQueryable<ReminderRecord> OpenReminders(string vehicleId, string? kind = null) =>
        Reminders.Where(r => r.VehicleId == vehicleId && ReminderStatus.Open.Contains(r.Status) && (kind == null || r.Kind == kind));

    public static IServiceCollection AddDealershipData(IServiceCollection services, WorkflowDatabase database)
    {
        if (database.Provider == DatabaseProvider.Postgres)
        {
            services.AddPooledDbContextFactory<PostgresDealershipDbContext>(o => database.Configure(o, HistoryTable));
            services.AddSingleton<IDbContextFactory<DealershipDbContext>>(sp => new Factory<PostgresDealershipDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresDealershipDbContext>>()));
        }
        else
        {
            services.AddPooledDbContextFactory<SqliteDealershipDbContext>(o => database.Configure(o, HistoryTable));
            services.AddSingleton<IDbContextFactory<DealershipDbContext>>(sp => new Factory<SqliteDealershipDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteDealershipDbContext>>()));
        }
        // Completed tasks, decided approvals and messages to send are written with the bursts that produce them.
        return services.AddWorkflowRecords<DealershipDbContext>();
    }

    /// <summary>
    /// A context on an open connection (a workflow burst's), for writes inside its transaction; disposing it gives it
    /// back. The contexts come from a pool per provider and the connection is set on each: a new context costs EF Core
    /// its internal services again, and building options for each made it compute their identity again. The
    /// connection and its transaction stay the burst's: giving a context back leaves both.
    /// </summary>
    public static DealershipDbContext Over(System.Data.Common.DbConnection connection, DatabaseProvider provider)
    {
        DealershipDbContext context = provider == DatabaseProvider.Postgres ? OverPostgres.CreateDbContext() : OverSqlite.CreateDbContext();
        context.Database.SetDbConnection(connection);
        return context;
    }

    private static readonly PooledDbContextFactory<PostgresDealershipDbContext> OverPostgres = new(new DbContextOptionsBuilder<PostgresDealershipDbContext>().UseNpgsql().Options);
    private static readonly PooledDbContextFactory<SqliteDealershipDbContext> OverSqlite = new(new DbContextOptionsBuilder<SqliteDealershipDbContext>().UseSqlite().Options);

    private sealed class Factory<T>(IDbContextFactory<T> inner) : IDbContextFactory<DealershipDbContext> where T : DealershipDbContext
    {
        public DealershipDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
