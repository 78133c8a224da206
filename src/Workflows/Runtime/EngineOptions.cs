using Followup.Workflows.Configuration;

namespace Followup.Workflows.Runtime;

public sealed class EngineOptions : ICheckedOptions
{
    /// <summary>Activities one burst may run before it is stopped as a runaway loop; the instance then faults.</summary>
    public int MaxActivityExecutionsPerBurst { get; set; } = 100_000;

    public const string SectionName = "Engine";

    /// <summary>How flowcharts join branches when a workflow does not say (custom property <c>Flowchart:ExecutionMode</c>).</summary>
    public FlowchartExecutionMode FlowchartMode { get; set; } = FlowchartExecutionMode.CounterBased;

    /// <summary>Limits for JavaScript expressions: a runaway script faults its instance instead of hanging the host.</summary>
    public TimeSpan ScriptTimeout { get; set; } = TimeSpan.FromSeconds(2);
    public int ScriptMaxStatements { get; set; } = 1_000_000;
    public int ScriptMaxRecursion { get; set; } = 200;
    public long ScriptMemoryLimitBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// Runs C# expressions (Elsa's <c>CSharp</c> type). Off unless turned on: C# runs with the host's full rights and,
    /// unlike JavaScript, has no limits, so a host lets it only when everyone who can publish a workflow may run code on it.
    /// </summary>
    public bool AllowCSharp { get; set; }

    /// <summary>Folder of the shipped workflow definitions loaded at start.</summary>
    public string? DefinitionsPath { get; set; }

    /// <summary>
    /// On SQLite, the room in MiB for copies of the instances last committed, so that an instance resumed again soon
    /// is not read back (a service visit's state is about 4 KB: 8 MiB keeps about two thousand). A host that runs
    /// bursts of many thousands of instances in flight at once gains from more; 0 keeps none.
    /// </summary>
    public int RecentInstancesMiB { get; set; } = 8;

    /// <summary>Publishing fails when validation finds errors (a bad cron expression).</summary>
    public bool FailOnValidationErrors { get; set; } = true;

    public IEnumerable<string> Problems()
    {
        if (MaxActivityExecutionsPerBurst < 100)
            yield return $"{nameof(MaxActivityExecutionsPerBurst)}: at least 100 (it stops runaway loops; a real burst runs far fewer activities).";
        if (!Enum.IsDefined(FlowchartMode))
            yield return $"{nameof(FlowchartMode)}: {string.Join(" or ", Enum.GetNames<FlowchartExecutionMode>())}.";
        if (ScriptTimeout <= TimeSpan.Zero || ScriptTimeout > TimeSpan.FromMinutes(1))
            yield return $"{nameof(ScriptTimeout)}: a time span above zero and at most a minute, e.g. 00:00:02.";
        if (ScriptMaxStatements < 1)
            yield return $"{nameof(ScriptMaxStatements)}: at least 1.";
        if (ScriptMaxRecursion < 1)
            yield return $"{nameof(ScriptMaxRecursion)}: at least 1.";
        if (ScriptMemoryLimitBytes < 1024 * 1024)
            yield return $"{nameof(ScriptMemoryLimitBytes)}: at least 1048576 (1 MB).";
        if (RecentInstancesMiB is < 0 or > 4096)
            yield return $"{nameof(RecentInstancesMiB)}: from 0 (keep no copies) to 4096.";
        if (DefinitionsPath is { Length: > 0 } path && !Directory.Exists(path))
            yield return $"{nameof(DefinitionsPath)}: the folder '{path}' does not exist.";
    }
}
