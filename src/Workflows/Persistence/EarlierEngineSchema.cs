using Microsoft.EntityFrameworkCore;

namespace Followup.Workflows.Persistence;

/// <summary>
/// A database made by the previous release recorded the engine's migrations one by one, ending with
/// BookmarksByInstance; the tables it made are the engine's baseline migration (those for the dealership's records,
/// which it made too, now belong to the module that owns them). Such a database is recorded as having the baseline,
/// and keeps every row. One made by a release before that must be opened once by the previous release first.
/// </summary>
public static class EarlierEngineSchema
{
    private static readonly string[] LastOfPreviousRelease = ["20261128064903_BookmarksByInstance", "20261128064915_BookmarksByInstance"];

    public static async Task AdoptAsync(WorkflowDbContext db, CancellationToken cancellationToken)
    {
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var baseline = db.Database.GetMigrations().First();
        if (applied.Count == 0 || applied.Contains(baseline))
            return;
        if (!applied.Overlaps(LastOfPreviousRelease))
        {
            throw new InvalidOperationException(
                "This database was made by a release of Followup older than the previous one: start it once with the previous release, which brings it up to date, then with this one.");
        }
        var product = typeof(DbContext).Assembly.GetName().Version!.ToString(3);
        await db.Database.ExecuteSqlRawAsync("INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ({0}, {1})", [baseline, product], cancellationToken);
    }
}
