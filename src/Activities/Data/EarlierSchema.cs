using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Data;

/// <summary>
/// The outbox, consents, replies, tasks and approvals were made by the engine's migrations in the previous release.
/// In a database from that release they are there already, with their rows: the migration that makes them here
/// (WorkflowRecords) is recorded as applied without running, and the ones after it run as usual.
/// </summary>
public static class EarlierSchema
{
    public const string RecordsMigration = "WorkflowRecords";

    public static async Task AdoptAsync(DealershipDbContext db, CancellationToken cancellationToken)
    {
        var migration = db.Database.GetMigrations().Single(m => m.EndsWith("_" + RecordsMigration, StringComparison.Ordinal));
        if ((await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Contains(migration) || !await TableExistsAsync(db, "HumanTasks", cancellationToken))
            return;
        var product = typeof(DbContext).Assembly.GetName().Version!.ToString(3);
        await db.Database.ExecuteSqlRawAsync($"INSERT INTO \"{DealershipDbContext.HistoryTable}\" (\"MigrationId\", \"ProductVersion\") VALUES ({{0}}, {{1}})", [migration, product], cancellationToken);
    }

    private static async Task<bool> TableExistsAsync(DealershipDbContext db, string table, CancellationToken cancellationToken)
    {
        var sql = db.Database.IsSqlite()
            ? "SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = {0}"
            : "SELECT COUNT(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = {0}";
        return (await db.Database.SqlQueryRaw<int>(sql, table).ToListAsync(cancellationToken))[0] > 0;
    }
}
