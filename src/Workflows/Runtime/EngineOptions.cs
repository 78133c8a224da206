namespace Followup.Workflows.Runtime;

public sealed class EngineOptions
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

    /// <summary>Folder of the shipped workflow definitions loaded at start.</summary>
    public string? DefinitionsPath { get; set; }

    /// <summary>Publishing fails when validation finds errors (a bad cron expression).</summary>
    public bool FailOnValidationErrors { get; set; } = true;
}
