using Microsoft.EntityFrameworkCore;

namespace Followup.Workflows.Persistence;

/// <summary>The engine's tables. Times are stored as UTC <see cref="DateTime"/> so SQLite can compare and sort them.</summary>
public class WorkflowDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<WorkflowDefinitionRecord> WorkflowDefinitions => Set<WorkflowDefinitionRecord>();
    public DbSet<WorkflowInstanceRecord> WorkflowInstances => Set<WorkflowInstanceRecord>();
    public DbSet<BookmarkRecord> Bookmarks => Set<BookmarkRecord>();
    public DbSet<TriggerRecord> Triggers => Set<TriggerRecord>();
    public DbSet<JournalRecord> Journal => Set<JournalRecord>();
    public DbSet<IncidentRecord> Incidents => Set<IncidentRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WorkflowDefinitionRecord>(e =>
        {
            e.ToTable("WorkflowDefinitions");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.DefinitionId, x.Version }).IsUnique();
            e.HasIndex(x => new { x.DefinitionId, x.IsPublished });
            e.HasIndex(x => new { x.DefinitionId, x.IsLatest });
        });
        modelBuilder.Entity<WorkflowInstanceRecord>(e =>
        {
            e.ToTable("WorkflowInstances");
            e.HasKey(x => x.Id);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasIndex(x => x.CorrelationId);
            e.HasIndex(x => new { x.DefinitionId, x.Status });
            e.HasIndex(x => x.ParentInstanceId);
        });
        modelBuilder.Entity<BookmarkRecord>(e =>
        {
            e.ToTable("Bookmarks");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Hash);
            e.HasIndex(x => x.InstanceId);
            e.HasIndex(x => x.DueAt);
        });
        modelBuilder.Entity<TriggerRecord>(e =>
        {
            e.ToTable("Triggers");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Hash);
            e.HasIndex(x => x.DefinitionId);
        });
        modelBuilder.Entity<JournalRecord>(e =>
        {
            e.ToTable("Journal");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.InstanceId, x.Sequence });
        });
        modelBuilder.Entity<IncidentRecord>(e =>
        {
            e.ToTable("Incidents");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.InstanceId);
        });
    }
}
