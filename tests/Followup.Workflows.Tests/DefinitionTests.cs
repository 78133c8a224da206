using System.Text.Json.Nodes;
using Followup.Workflows.Definitions;
using Followup.Workflows.Management;
using Followup.Workflows.Registry;
using Microsoft.Extensions.DependencyInjection;
using static Followup.Workflows.Tests.Json;

namespace Followup.Workflows.Tests;

public sealed class DefinitionTests
{
    private static string Greeting(string text) => Workflow("greeting",
        [Activity("start", "Elsa.Start"), Event("wait", "Go"), WriteLine("say", text)],
        [Connection("start", "wait"), Connection("wait", "say")]);

    [Fact]
    public async Task RunningInstance_KeepsItsVersion_WhenANewVersionIsPublished()
    {
        await using var h = new WorkflowHarness();
        var id = await h.ImportAsync(Greeting("Version one"));
        var old = await h.StartAsync(id);

        await h.Definitions.ImportAsync(Greeting("Version two"), ImportMode.NewVersion, publish: false, CancellationToken.None);
        var published = await h.Definitions.PublishAsync(id, CancellationToken.None);
        var fresh = await h.StartAsync(id);
        await h.Runtime.PublishEventAsync("Go", null, null, null, CancellationToken.None);

        Assert.True(published.Succeeded);
        Assert.Equal(2, published.Definition!.Version);
        Assert.Equal(["Version one", "Version two"], h.Lines.Order().ToList());
        Assert.Equal(1, (await h.InstanceAsync(old.InstanceId)).DefinitionVersion);
        Assert.Equal(2, (await h.InstanceAsync(fresh.InstanceId)).DefinitionVersion);
    }

    [Fact]
    public async Task SavingADraft_OfAPublishedVersion_CreatesTheNextVersion()
    {
        await using var h = new WorkflowHarness();
        var id = await h.ImportAsync(Greeting("One"));

        await h.Definitions.ImportAsync(Greeting("Two"), ImportMode.NewVersion, publish: false, CancellationToken.None);
        await h.Definitions.ImportAsync(Greeting("Two, edited"), ImportMode.NewVersion, publish: false, CancellationToken.None);

        var versions = h.Services.GetRequiredService<WorkflowDefinitionCache>().Versions(id);
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.True(versions[0].IsPublished && !versions[0].IsLatest);
        Assert.True(versions[1].IsLatest && !versions[1].IsPublished);
        Assert.Contains("Two, edited", versions[1].Json.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_WithAnUnknownActivityType_StoresNothingAndNamesTheActivity()
    {
        await using var h = new WorkflowHarness();
        var json = Workflow("bad", [Activity("mystery", "Acme.Teleport")], []);

        var ex = await Assert.ThrowsAsync<WorkflowValidationException>(() => h.Definitions.ImportAsync(json, ImportMode.NewVersion, true, CancellationToken.None));

        Assert.Contains("mystery", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Acme.Teleport", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await h.DefinitionStore.ListDefinitionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Publish_WithABadCronExpression_Fails()
    {
        await using var h = new WorkflowHarness();
        var json = Workflow("cron", [Activity("c", "Elsa.Cron", Input("cronExpression", "String", "every tuesday"), "\"canStartWorkflow\": true")], []);
        await h.Definitions.ImportAsync(json, ImportMode.NewVersion, false, CancellationToken.None);

        var result = await h.Definitions.PublishAsync("cron", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("cron expression", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LegacyShapes_AreReadAndWrittenInTheCurrentShape_KeepingUnknownProperties()
    {
        await using var h = new WorkflowHarness();
        var legacy = """
            { "id": "v1", "definitionId": "legacy", "name": "Legacy", "version": 1, "designerNote": "keep me",
              "root": { "id": "flow", "type": "Elsa.Flowchart", "start": "a",
                "activities": [ { "id": "a", "type": "Elsa.WriteLine", "canStartWorkflow": true, "text": "Hello", "metadata": { "designer": { "position": { "x": 5 } } } },
                                { "id": "b", "type": "Elsa.WriteLine", "text": { "typeName": "String", "expression": { "type": "Literal", "value": "World" } } } ],
                "connections": [ { "source": "a", "target": "b", "sourcePort": "Done", "targetPort": "In" } ] } }
            """;
        var definition = await h.Definitions.ImportAsync(legacy, ImportMode.NewVersion, true, CancellationToken.None);
        var written = definition.Json;

        Assert.Equal("keep me", written["designerNote"]!.GetValue<string>());
        var a = written["root"]!["activities"]![0]!;
        Assert.Equal("Workflow1:flow:a", a["nodeId"]!.GetValue<string>());
        Assert.True(a["customProperties"]!["canStartWorkflow"]!.GetValue<bool>());
        Assert.Equal(5, a["metadata"]!["designer"]!["position"]!["x"]!.GetValue<int>());
        Assert.Equal("a", written["root"]!["connections"]![0]!["source"]!["activity"]!.GetValue<string>());

        await h.StartAsync("legacy");
        Assert.Equal(["Hello", "World"], h.Lines);
    }

    [Fact]
    public void EveryShippedWorkflow_RoundTripsThroughReadAndWrite()
    {
        using var services = new ServiceCollection().AddLogging().AddFollowupWorkflows("Data Source=:memory:").BuildServiceProvider();
        var reader = services.GetRequiredService<WorkflowDefinitionReader>();
        var writer = services.GetRequiredService<WorkflowDefinitionWriter>();
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "workflows-json"), "*.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var original = reader.Read(File.ReadAllText(file));
            var flags = new DefinitionFlags(original.Id, original.DefinitionId, original.Version, original.IsLatest, original.IsPublished);
            var once = writer.Write(original, flags);
            var twice = writer.Write(reader.Read(once.ToJsonString()), flags);
            Assert.True(JsonNode.DeepEquals(once, twice), $"{Path.GetFileName(file)} changes on a second round trip");
            Assert.Equal(original.Root.Descendants().Count(), reader.Read(once.ToJsonString()).Root.Descendants().Count());
        }
    }

    [Fact]
    public void Descriptors_ComeFromActivityMetadata()
    {
        using var services = new ServiceCollection().AddLogging().AddFollowupWorkflows("Data Source=:memory:").BuildServiceProvider();
        var registry = services.GetRequiredService<ActivityRegistry>();

        var writeLine = registry.Find("Elsa.WriteLine")!;
        var decision = registry.Find("Elsa.FlowDecision")!;
        var delay = registry.Find("Elsa.Delay")!;

        Assert.Equal("Console", writeLine.Category);
        Assert.Equal("Write Line", writeLine.DisplayName);
        Assert.Equal(("Text", "String", "singleline"), (writeLine.Inputs[0].Name, writeLine.Inputs[0].TypeName, writeLine.Inputs[0].UIHint));
        Assert.Equal(["True", "False"], decision.Ports.Select(p => p.Name));
        Assert.Equal("TimeSpan", delay.Inputs[0].TypeName);
        Assert.True(registry.Find("Elsa.End")!.IsTerminal);
        Assert.False(registry.Find("Elsa.Flowchart")!.IsBrowsable);
    }
}
