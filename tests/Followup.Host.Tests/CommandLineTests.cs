using System.Text.Json.Nodes;
using Followup.Host.Cli;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

/// <summary>The <c>run</c> verb of the host's executable.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("unknown-type")]
    [InlineData("invalid-json")]
    [InlineData("missing-child")]
    [InlineData("bad-cron")]
    public async Task CommandLine_BadInput_ExitsWith2AndNamesTheFile(string problem)
    {
        var folder = Directory.CreateTempSubdirectory("followup-cli").FullName;
        var file = Path.Combine(folder, $"{problem}.json");
        await File.WriteAllTextAsync(file, problem switch
        {
            "unknown-type" => Workflow("w", [Activity("teleport1", "Acme.Teleport")], []),
            "invalid-json" => "{ \"id\": ",
            "missing-child" => Workflow("w", [Activity("child1", "Elsa.ExecuteWorkflow", Input("workflowDefinitionId", "String", "ghost"))], []),
            _ => Workflow("w", [Activity("cron1", "Elsa.Cron", Input("cronExpression", "String", "BadCronExpression"), "\"canStartWorkflow\": true")], []),
        });
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await CommandLine.RunAsync(["run", file, "--workflows", folder], stdout, stderr);

        Assert.Equal(2, exit);
        Assert.Contains($"{problem}.json", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(CommandLine.ResultMarker, stdout.ToString(), StringComparison.Ordinal);
        if (problem != "invalid-json")
            Assert.Contains(problem switch { "unknown-type" => "teleport1", "missing-child" => "ghost", _ => "cron" }, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandLine_Run_PrintsLinesAndTheResultLine()
    {
        var folder = Directory.CreateTempSubdirectory("followup-cli").FullName;
        var file = Path.Combine(folder, "hello.json");
        await File.WriteAllTextAsync(file, Workflow("hello", [WriteLine("w", "`Hello ${getInput('Name')}`", "JavaScript"), Event("e", "Go"), WriteLine("x", "Bye")], [Connection("w", "e"), Connection("e", "x")]));
        var stdout = new StringWriter();

        var exit = await CommandLine.RunAsync(["run", file, "--input", "Name=\"Li Lei\"", "--resume-all"], stdout, new StringWriter());

        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, exit);
        Assert.Equal(["Hello Li Lei", "Bye"], lines[..2]);
        var result = JsonNode.Parse(lines[^1][CommandLine.ResultMarker.Length..])!;
        Assert.Equal("Finished", result["status"]!.GetValue<string>());
        Assert.Equal("Finished", result["subStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task CommandLine_Run_SkipsABrokenFileOfTheFolder_AndReportsTheStoredInstance()
    {
        var folder = Directory.CreateTempSubdirectory("followup-cli").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "broken.json"), "{ \"id\": ");
        await File.WriteAllTextAsync(Path.Combine(folder, "child.json"), Workflow("child",
            [Activity("out", "Elsa.SetOutput", Input("outputName", "String", "Parts") + "," + Input("outputValue", "Object", "brake pads"))], [],
            extra: """ "outputs": [ { "name": "Parts", "type": "String" } ], """));
        var main = Path.Combine(folder, "parent.json");
        await File.WriteAllTextAsync(main, Workflow("parent",
            [Activity("run", "Elsa.DispatchWorkflow", Input("workflowDefinitionId", "String", "child") + "," + Input("waitForCompletion", "Boolean", "true")),
             WriteLine("after", "Parent resumed")],
            [Connection("run", "after")]));
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await CommandLine.RunAsync(["run", main, "--workflows", folder], stdout, stderr);

        Assert.Equal(0, exit);
        Assert.Contains("broken.json", stderr.ToString(), StringComparison.Ordinal);
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("Parent resumed", lines);
        var result = JsonNode.Parse(lines[^1][CommandLine.ResultMarker.Length..])!;
        Assert.Equal("Finished", result["status"]!.GetValue<string>());
        Assert.Equal("Finished", result["subStatus"]!.GetValue<string>());
    }
}
