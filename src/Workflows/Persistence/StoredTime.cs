namespace Followup.Workflows.Persistence;

/// <summary>Times are stored as UTC <see cref="DateTime"/>s; SQLite reads them back without a kind.</summary>
public static class StoredTime
{
    public static DateTimeOffset AsUtc(this DateTime stored) => new(DateTime.SpecifyKind(stored, DateTimeKind.Utc));
}
