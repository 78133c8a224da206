using Followup.Workflows.Configuration;
using Followup.Workflows.Scheduling;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Followup.Host.Scheduling;

public sealed class SchedulingOptions : ICheckedOptions
{
    public const string SectionName = "Hangfire";

    /// <summary>Job storage: Sqlite (default with a SQLite database), Postgres (default with PostgreSQL) or InMemory (tests).</summary>
    public string? Storage { get; set; }

    /// <summary>The Hangfire SQLite file when <see cref="Storage"/> is Sqlite.</summary>
    public string SqlitePath { get; set; } = "followup-hangfire.db";

    /// <summary>How often workers look for enqueued jobs (Hangfire.Storage.SQLite's own default of 15 s makes timers late).</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often due delayed jobs are moved to their queue.</summary>
    public TimeSpan SchedulePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A job taken by a host that died is given to another worker after this long. A job takes milliseconds (a resume, a
    /// message), so two minutes never cut a live one short; what the dead host held is done meanwhile by the others'
    /// sweep and drain, so the wait delays only the job's own bookkeeping.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How far ahead a timer gets its job. A timer due later (a callback in three days, a task overdue in four hours)
    /// has none in the job store until the minute sweep finds it within this reach; one that never gets so near (the
    /// task done in time) never costs the job store a write. Above the sweep's minute, with room for a late sweep.
    /// </summary>
    public TimeSpan TimerHorizon { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How overdue (on the engine's clock) a timer must be before the sweep fires it itself.</summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Workers of this host; 0 means Hangfire's default (20 per core, at most 40... here fewer: 4 per core).</summary>
    public int WorkerCount { get; set; }

    /// <summary>Run a Hangfire server in this host (off for a web-only node).</summary>
    public bool Server { get; set; } = true;

    public static readonly string[] StorageKinds = ["Sqlite", "Postgres", "InMemory"];

    public IEnumerable<string> Problems()
    {
        if (!string.IsNullOrWhiteSpace(Storage) && !StorageKinds.Contains(Storage.Trim(), StringComparer.OrdinalIgnoreCase))
            yield return $"{nameof(Storage)}: {string.Join(", ", StorageKinds)} (or leave it out to follow the database).";
        foreach (var (name, value) in new[] { (nameof(QueuePollInterval), QueuePollInterval), (nameof(SchedulePollInterval), SchedulePollInterval), (nameof(InvisibilityTimeout), InvisibilityTimeout) })
        {
            if (value <= TimeSpan.Zero)
                yield return $"{name}: a time span above zero, e.g. 00:00:01.";
        }
        if (TimerHorizon < TimeSpan.FromMinutes(5))
            yield return $"{nameof(TimerHorizon)}: five minutes or more (the sweep gives timers their jobs once a minute), e.g. 00:15:00.";
        if (SweepGrace < TimeSpan.Zero)
            yield return $"{nameof(SweepGrace)}: a time span of zero or more, e.g. 00:00:30.";
        if (WorkerCount is < 0 or > 200)
            yield return $"{nameof(WorkerCount)}: between 0 (the default) and 200.";
        if (string.IsNullOrWhiteSpace(SqlitePath))
            yield return $"{nameof(SqlitePath)}: the Hangfire SQLite file.";
    }
}
