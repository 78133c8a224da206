using Followup.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Activities.Data;

public sealed class Customer
{
    public required string Id { get; set; }
    public required string Name { get; set; }

    /// <summary>E.164, validated at entry.</summary>
    public string? Phone { get; set; }

    public string? Email { get; set; }
    public string Language { get; set; } = "zh-CN";
    public bool SmsConsent { get; set; } = true;
    public bool EmailConsent { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<Vehicle> Vehicles { get; set; } = [];
}

public sealed class Vehicle
{
    public required string Id { get; set; }
    public required string CustomerId { get; set; }
    public required string Vin { get; set; }
    public string? Plate { get; set; }
    public string? Model { get; set; }
    public int? Year { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<MileageReading> Mileage { get; set; } = [];
}

public sealed class MileageReading
{
    public long Id { get; set; }
    public required string VehicleId { get; set; }
    public int Kilometres { get; set; }
    public DateTime ReadAt { get; set; }
    public required string Source { get; set; }
}

/// <summary>A visit (repair order): the car in the workshop from reception to delivery.</summary>
public sealed class Visit
{
    public required string Id { get; set; }

    /// <summary>The repair-order number staff and customers see, e.g. RO-2026-000123; also the workflows' correlation id.</summary>
    public required string Number { get; set; }

    public required string CustomerId { get; set; }
    public required string VehicleId { get; set; }
    public string Status { get; set; } = VisitStatus.Reception;
    public DateTime? PromisedAt { get; set; }
    public string? Advisor { get; set; }
    public string? Technician { get; set; }
    public string? AppointmentId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>When an advisor greeted the customer (the reception task was done).</summary>
    public DateTime? GreetedAt { get; set; }

    /// <summary>When the car was ready for pick-up; compared with the promised time.</summary>
    public DateTime? ReadyAt { get; set; }

    public DateTime? DeliveredAt { get; set; }

    /// <summary>Appointment customers come first: their own advisor and technician.</summary>
    public bool Priority { get; set; }

    /// <summary>The original visit when this one is a comeback.</summary>
    public string? ComebackOf { get; set; }
}

public static class VisitStatus
{
    public const string Reception = "Reception";
    public const string InWorkshop = "InWorkshop";
    public const string QualityCheck = "QualityCheck";
    public const string Ready = "Ready";
    public const string Delivered = "Delivered";

    /// <summary>The order a visit moves in; a step back (quality check fails) returns it to the workshop.</summary>
    public static readonly string[] Order = [Reception, InWorkshop, QualityCheck, Ready, Delivered];

    public static bool CanMove(string from, string to) =>
        Array.IndexOf(Order, to) == Array.IndexOf(Order, from) + 1 || (from == QualityCheck && to == InWorkshop);

    public static bool InWorkshopNow(string status) => status is InWorkshop or QualityCheck;
}

/// <summary>Who changed what, when: every write through the API or the staff pages leaves one.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public required string EntityId { get; set; }

    /// <summary>JSON of the fields written (no free text beyond what was submitted).</summary>
    public string? Changes { get; set; }

    public DateTime At { get; set; }

    /// <summary>An entry with the fields written as JSON (none for a change that carries no input).</summary>
    public static AuditEntry Of(string actor, string action, string entityType, string entityId, DateTime at, object? changes = null) => new()
    {
        Actor = actor,
        Action = action,
        EntityType = entityType,
        EntityId = entityId,
        Changes = changes is null ? null : System.Text.Json.JsonSerializer.Serialize(changes, System.Text.Json.JsonSerializerOptions.Web),
        At = at,
    };
}

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
    public DbSet<Messaging.OutboxRecord> Outbox => Set<Messaging.OutboxRecord>();
    public DbSet<Messaging.ContactConsentRecord> ContactConsents => Set<Messaging.ContactConsentRecord>();
    public DbSet<Messaging.InboundMessageRecord> InboundMessages => Set<Messaging.InboundMessageRecord>();
    public DbSet<Tasks.HumanTaskRecord> HumanTasks => Set<Tasks.HumanTaskRecord>();
    public DbSet<Approvals.ApprovalRecord> Approvals => Set<Approvals.ApprovalRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
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

    public static IServiceCollection AddDealershipData(IServiceCollection services, WorkflowDatabase database)
    {
        if (database.Provider == DatabaseProvider.Postgres)
        {
            services.AddDbContextFactory<PostgresDealershipDbContext>(o => database.Configure(o, HistoryTable));
            services.AddSingleton<IDbContextFactory<DealershipDbContext>>(sp => new Factory<PostgresDealershipDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresDealershipDbContext>>()));
        }
        else
        {
            services.AddDbContextFactory<SqliteDealershipDbContext>(o => database.Configure(o, HistoryTable));
            services.AddSingleton<IDbContextFactory<DealershipDbContext>>(sp => new Factory<SqliteDealershipDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteDealershipDbContext>>()));
        }
        // Completed tasks, decided approvals and messages to send are written with the bursts that produce them.
        return services.AddWorkflowRecords<DealershipDbContext>();
    }

    /// <summary>A context on an open connection (a workflow burst's), for writes inside its transaction.</summary>
    public static DealershipDbContext Over(System.Data.Common.DbConnection connection, DatabaseProvider provider) => provider == DatabaseProvider.Postgres
        ? new PostgresDealershipDbContext(new DbContextOptionsBuilder<PostgresDealershipDbContext>().UseNpgsql(connection).Options)
        : new SqliteDealershipDbContext(new DbContextOptionsBuilder<SqliteDealershipDbContext>().UseSqlite(connection).Options);

    private sealed class Factory<T>(IDbContextFactory<T> inner) : IDbContextFactory<DealershipDbContext> where T : DealershipDbContext
    {
        public DealershipDbContext CreateDbContext() => inner.CreateDbContext();
    }
}

public sealed class SqliteDealershipDbContext(DbContextOptions<SqliteDealershipDbContext> options) : DealershipDbContext(options);

public sealed class PostgresDealershipDbContext(DbContextOptions<PostgresDealershipDbContext> options) : DealershipDbContext(options);

/// <summary>Used by <c>dotnet ef migrations add</c> only; they never connect.</summary>
public sealed class SqliteDealershipDesignFactory : IDesignTimeDbContextFactory<SqliteDealershipDbContext>
{
    public SqliteDealershipDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<SqliteDealershipDbContext>().UseSqlite("Data Source=design.db").Options);
}

public sealed class PostgresDealershipDesignFactory : IDesignTimeDbContextFactory<PostgresDealershipDbContext>
{
    public PostgresDealershipDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<PostgresDealershipDbContext>().UseNpgsql("Host=localhost;Database=followup_design").Options);
}
