using System.Text.Json;
using System.Text.Json.Nodes;
using Followup.Activities;
using Followup.Workflows;
using Followup.Workflows.Activities.Primitives;
using Followup.Workflows.Definitions;
using Followup.Workflows.Management;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Followup.Workflows.Scheduling;
using Followup.Workflows.Serialization;

namespace Followup.Host.Cli;

/// <summary>
/// The <c>run</c> and <c>publish</c> verbs. Bad input (missing file, invalid JSON, unknown activity, missing child
/// workflow, bad cron expression) prints a message naming the file and the activity, exits 2, and stores nothing.
/// </summary>
public static class CommandLine
{
    public const string ResultMarker = "##followup-result ";
    private const int BadInput = 2;
    private const int MaxResumeRounds = 10_000;

    private const string Usage = """
        usage:
          Followup.Host run <main.json> [--workflows <dir>] [--load import|directory] [--flowchart-mode counter|token]
                            [--input NAME=JSON]... [--resume-all] [--db <sqlite file>]
          Followup.Host publish <main.json> [--workflows <dir>] [--db <sqlite file>]
        """;

    public static bool IsVerb(string[] args) => args.Length > 0 && args[0] is "run" or "publish";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        CliArguments parsed;
        try
        {
            parsed = CliArguments.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}\n{Usage}");
            return BadInput;
        }

        var temporaryDb = parsed.Database is null;
        var dbPath = parsed.Database ?? Path.Combine(Path.GetTempPath(), $"followup-cli-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
        try
        {
            await using var services = BuildServices(dbPath, parsed, stdout);
            await services.InitializeWorkflowsAsync(CancellationToken.None);
            await services.InitializeActivitiesAsync(CancellationToken.None);
            var files = ReadFiles(parsed);
            var definitions = services.GetRequiredService<WorkflowDefinitionService>();
            var mode = parsed.Verb == "publish" || parsed.Load == "import" ? ImportMode.PublishedVersionOne : ImportMode.AsIs;
            var loaded = await ImportSkippingBrokenAsync(definitions, files, parsed, mode, stderr);
            var main = loaded[files.FindIndex(f => f.Source == parsed.MainFile)];
            return parsed.Verb == "publish"
                ? await PublishAsync(definitions, main, stdout)
                : await RunWorkflowAsync(services, main, parsed, stdout);
        }
        catch (CliInputException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return BadInput;
        }
        catch (WorkflowValidationException ex)
        {
            foreach (var error in ex.Errors)
                await stderr.WriteLineAsync($"error: {error}");
            await stderr.WriteLineAsync("nothing was stored");
            return BadInput;
        }
        finally
        {
            if (temporaryDb)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                foreach (var suffix in new[] { "", "-wal", "-shm" })
                    File.Delete(dbPath + suffix);
            }
        }
    }

    /// <summary>
    /// Imports the files together. A file of the --workflows folder that does not load is reported and left out, and the
    /// rest is imported again without it (an import with errors stores nothing); an error in the main file ends the run.
    /// </summary>
    private static async Task<IReadOnlyList<WorkflowDefinition>> ImportSkippingBrokenAsync(
        WorkflowDefinitionService definitions, List<(string Source, string Json)> files, CliArguments parsed, ImportMode mode, TextWriter stderr)
    {
        while (true)
        {
            try
            {
                var loaded = await definitions.ImportManyAsync(files, mode, publish: false, CancellationToken.None, validateTriggers: parsed.Verb == "run");
                return loaded;
            }
            catch (WorkflowValidationException ex)
            {
                var broken = files.Where(f => f.Source != parsed.MainFile && ex.Errors.Any(e => e.StartsWith(f.Source + ": ", StringComparison.Ordinal))).ToList();
                if (broken.Count == 0)
                    throw;
                foreach (var file in broken)
                {
                    foreach (var error in ex.Errors.Where(e => e.StartsWith(file.Source + ": ", StringComparison.Ordinal)))
                        await stderr.WriteLineAsync($"warning: not loaded: {error}");
                    files.Remove(file);
                }
            }
        }
    }

    private static ServiceProvider BuildServices(string dbPath, CliArguments args, TextWriter stdout)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Error)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddSingleton<IConsoleOutput>(new WriterConsoleOutput(stdout));
        services.AddSingleton<ITimerScheduler, ManualTimerScheduler>();
        var database = WorkflowDatabase.Sqlite($"Data Source={dbPath}");
        services.AddFollowupWorkflows(database);
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(configuration);
        services.AddFollowupActivities(configuration, database);
        // The command line runs the operator's own files on their own machine: C# expressions are theirs to run.
        services.Configure<EngineOptions>(o =>
        {
            o.FlowchartMode = args.FlowchartMode;
            o.AllowCSharp = true;
        });
        return services.BuildServiceProvider();
    }

    private static List<(string Source, string Json)> ReadFiles(CliArguments args)
    {
        if (!File.Exists(args.MainFile))
            throw new CliInputException($"{args.MainFile}: file not found");
        var paths = new List<string>();
        if (args.WorkflowsDir != null)
        {
            if (!Directory.Exists(args.WorkflowsDir))
                throw new CliInputException($"{args.WorkflowsDir}: folder not found");
            paths.AddRange(Directory.GetFiles(args.WorkflowsDir, "*.json").Where(p => Path.GetFileName(p) != "case.json").Order(StringComparer.Ordinal));
        }
        var mainFull = Path.GetFullPath(args.MainFile);
        paths.RemoveAll(p => Path.GetFullPath(p) == mainFull);
        paths.Add(args.MainFile);
        return paths.Select(p => (p == args.MainFile ? args.MainFile : p, File.ReadAllText(p))).ToList();
    }

    private static async Task<int> PublishAsync(WorkflowDefinitionService definitions, WorkflowDefinition main, TextWriter stdout)
    {
        var result = await definitions.PublishAsync(main.DefinitionId, CancellationToken.None);
        var line = new JsonObject { ["succeeded"] = result.Succeeded, ["errors"] = new JsonArray([.. result.Errors.Select(e => (JsonNode?)e)]) };
        await stdout.WriteLineAsync(ResultMarker + line.ToJsonString());
        return result.Succeeded ? 0 : 1;
    }

    private static async Task<int> RunWorkflowAsync(ServiceProvider services, WorkflowDefinition main, CliArguments args, TextWriter stdout)
    {
        var runtime = services.GetRequiredService<IWorkflowRuntime>();
        var store = services.GetRequiredService<IWorkflowRunStore>();
        var properties = new Dictionary<string, object?> { [WorkflowProperties.FlowchartExecutionMode] = args.FlowchartMode.ToString() };
        var result = await runtime.StartAsync(new StartWorkflowRequest
        {
            DefinitionVersionId = main.Id,
            Input = args.Inputs,
            Properties = properties,
        }, CancellationToken.None);

        for (var round = 0; args.ResumeAll && result.Status != WorkflowStatus.Finished && round < MaxResumeRounds; round++)
        {
            var bookmarks = await store.ListBookmarksAsync(result.InstanceId, CancellationToken.None);
            if (bookmarks.Count == 0)
                break;
            foreach (var bookmark in bookmarks)
            {
                var resumed = await runtime.ResumeAsync(result.InstanceId, bookmark.Id, args.Inputs, CancellationToken.None);
                if (resumed.Run != null)
                    result = resumed.Run;
            }
        }

        // What is stored now: a child dispatched after a commit may have resumed this instance since its last burst returned.
        result = await runtime.FindAsync(result.InstanceId, CancellationToken.None) ?? result;
        var line = new JsonObject
        {
            ["instanceId"] = result.InstanceId,
            ["status"] = result.Status.ToString(),
            ["subStatus"] = result.SubStatus.ToString(),
            ["outputs"] = JsonValues.ToObject(result.Output),
            ["variables"] = JsonValues.ToObject(result.Variables),
            ["incidents"] = new JsonArray([.. result.Incidents.Select(i => (JsonNode?)$"{i.ActivityId} ({i.ActivityType}): {i.Message}")]),
        };
        await stdout.WriteLineAsync(ResultMarker + line.ToJsonString());
        return 0;
    }

    private sealed class WriterConsoleOutput(TextWriter writer) : IConsoleOutput
    {
        public void WriteLine(string text) => writer.WriteLine(text);
    }

    /// <summary>The command line resumes timers itself (--resume-all); nothing fires on its own.</summary>
    private sealed class ManualTimerScheduler : ITimerScheduler
    {
        public Task<string> ScheduleAsync(string instanceId, string bookmarkId, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
            Task.FromResult($"manual:{bookmarkId}");

        public Task CancelAsync(string jobId, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

internal sealed class CliInputException(string message) : Exception(message);

internal sealed record CliArguments
{
    public required string Verb { get; init; }
    public required string MainFile { get; init; }
    public string? WorkflowsDir { get; init; }
    public string Load { get; init; } = "import";
    public FlowchartExecutionMode FlowchartMode { get; init; } = FlowchartExecutionMode.CounterBased;
    public Dictionary<string, object?> Inputs { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public bool ResumeAll { get; init; }
    public string? Database { get; init; }

    public static CliArguments Parse(string[] args)
    {
        if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
            throw new ArgumentException($"'{args.FirstOrDefault()}' needs a workflow file");
        string? workflows = null, load = null, mode = null, db = null;
        var inputs = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        var resumeAll = false;
        for (var i = 2; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--workflows": workflows = Value(); break;
                case "--load": load = Value(); break;
                case "--flowchart-mode": mode = Value(); break;
                case "--db": db = Value(); break;
                case "--resume-all": resumeAll = true; break;
                case "--input":
                    var pair = Value();
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                        throw new ArgumentException($"--input '{pair}' is not NAME=JSON");
                    inputs[pair[..eq]] = ParseValue(pair[(eq + 1)..]);
                    break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }
        if (load is not (null or "import" or "directory"))
            throw new ArgumentException($"--load must be import or directory, not '{load}'");
        if (mode is not (null or "counter" or "token"))
            throw new ArgumentException($"--flowchart-mode must be counter or token, not '{mode}'");
        return new CliArguments
        {
            Verb = args[0],
            MainFile = args[1],
            WorkflowsDir = workflows,
            Load = load ?? "import",
            FlowchartMode = mode == "token" ? FlowchartExecutionMode.TokenBased : FlowchartExecutionMode.CounterBased,
            Inputs = inputs,
            ResumeAll = resumeAll,
            Database = db,
        };
    }

    private static object? ParseValue(string text)
    {
        try
        {
            return JsonValues.ToClr(JsonNode.Parse(text));
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
