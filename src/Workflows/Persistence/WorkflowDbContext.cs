using Microsoft.EntityFrameworkCore;

namespace Followup.Workflows.Persistence;

/// <summary>
/// The engine's tables and nothing else: definitions, instances, bookmarks, triggers, journal, incidents. Times are
/// stored as UTC <see cref="DateTime"/> so SQLite can compare and sort them. A module's own rows that commit with a
/// burst live in the module's own context (see <see cref="BurstRecords"/>).
/// </summary>
public class WorkflowDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<WorkflowDefinitionRecord> WorkflowDefinitions => Set<WorkflowDefinitionRecord>();
    public DbSet<WorkflowInstanceRecord> WorkflowInstances => Set<WorkflowInstanceRecord>();
    public DbSet<BookmarkRecord> Bookmarks => Set<BookmarkRecord>();
    public DbSet<TriggerRecord> Triggers => Set<TriggerRecord>();
    public DbSet<JournalBurstRecord> JournalBursts => Set<JournalBurstRecord>();
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
            e.Property(x => x.State).HasConversion(v => v.ToString(), text => Utf8Json.FromString(text));
            e.HasIndex(x => x.CorrelationId);
            e.HasIndex(x => new { x.DefinitionId, x.Status });
            e.HasIndex(x => x.ParentInstanceId);
        });
        modelBuilder.Entity<BookmarkRecord>(e =>
        {
            e.ToTable("Bookmarks");
            // Keyed by instance: a burst removes and adds an instance's bookmarks on one page (on SQLite the table is
            // WITHOUT ROWID, see the BookmarksByInstance migration), and the key is the instance's lookup too.
            e.HasKey(x => new { x.InstanceId, x.Id });
            e.HasIndex(x => new { x.Hash, x.CorrelationId });
            // Timers only: the far more numerous bookmarks without a due time stay out of it.
            e.HasIndex(x => x.DueAt).HasFilter("\"DueAt\" IS NOT NULL");
        });
        modelBuilder.Entity<TriggerRecord>(e =>
        {
            e.ToTable("Triggers");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Hash);
            e.HasIndex(x => x.DefinitionId);
        });
        modelBuilder.Entity<JournalBurstRecord>(e =>
        {
            e.ToTable("JournalBursts");
            e.HasKey(x => x.Id);
            e.Property(x => x.Entries).HasConversion(v => v.ToString(), text => Utf8Json.FromString(text));
            e.HasIndex(x => new { x.InstanceId, x.FirstSequence });
        });
        modelBuilder.Entity<IncidentRecord>(e =>
        {
            e.ToTable("Incidents");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.InstanceId);
        });
    }
}
