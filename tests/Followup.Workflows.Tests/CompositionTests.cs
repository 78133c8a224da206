using Followup.Workflows.Runtime;
using static Followup.Workflows.Tests.Json;

namespace Followup.Workflows.Tests;

public sealed class CompositionTests
{
    [Fact]
    public async Task WorkflowAsActivity_PassesInputs_MapsOutputs_AndUsesCompleteOutcomes()
    {
        await using var h = new WorkflowHarness();
        await h.ImportAsync(Workflow("ScoreCheck",
            [Activity("js", "Elsa.RunJavaScript", Input("script", "String", "setOutcome(getScore() <= 2 ? 'Unhappy' : 'Happy');")),
             Activity("unhappy", "Elsa.Complete", Input("outcomes", "Object", "Unhappy")),
             Activity("happy", "Elsa.SetOutput", Input("outputName", "String", "Message") + "," + Input("outputValue", "Object", "Thanks")),
             Activity("done", "Elsa.Complete", Input("outcomes", "Object", "Happy"))],
            [Connection("js", "unhappy", "Unhappy"), Connection("js", "happy", "Happy"), Connection("happy", "done")],
            extra: """
                "inputs": [ { "name": "Score", "type": "Int32" } ], "outputs": [ { "name": "Message", "type": "String" } ],
                "outcomes": [ "Happy", "Unhappy" ], "options": { "usableAsActivity": true },
                """));
        var parent = Workflow("callback",
            [Activity("check", "ScoreCheck", Input("score", "Int32", "getInput('Score')", "JavaScript") + """, "message": { "typeName": "String", "memoryReference": { "id": "msg" } }"""),
             WriteLine("escalate", "Escalate to manager"), WriteLine("thanks", "`Said: ${getMsg()}`", "JavaScript")],
            [Connection("check", "escalate", "Unhappy"), Connection("check", "thanks", "Happy")],
            extra: """ "variables": [ { "id": "msg", "name": "Msg", "typeName": "String" } ], """);
        var id = await h.ImportAsync(parent);

        await h.StartAsync(id, new Dictionary<string, object?> { ["Score"] = 1 });
        var happy = await h.StartAsync(id, new Dictionary<string, object?> { ["Score"] = "5" });

        Assert.Equal(["Escalate to manager", "Said: Thanks"], h.Lines);
        Assert.Equal("Thanks", happy.Variables["Msg"]);
    }

    [Fact]
    public async Task ExecuteWorkflow_WithWait_ResumesTheParentWhenTheChildFinishesLater()
    {
        await using var h = new WorkflowHarness();
        await h.ImportAsync(Workflow("child",
            [Event("wait", "PartsArrived"), Activity("out", "Elsa.SetOutput", Input("outputName", "String", "Parts") + "," + Input("outputValue", "Object", "brake pads"))],
            [Connection("wait", "out")], extra: """ "outputs": [ { "name": "Parts", "type": "String" } ], """));
        var parentId = await h.ImportAsync(Workflow("parent",
            [Activity("run", "Elsa.ExecuteWorkflow", Input("workflowDefinitionId", "String", "child") + "," + Input("waitForCompletion", "Boolean", "true")),
             WriteLine("after", "Parent continues")],
            [Connection("run", "after")]));

        var parent = await h.StartAsync(parentId);
        Assert.Equal(WorkflowSubStatus.Suspended, parent.SubStatus);
        Assert.Empty(h.Lines);

        await h.Runtime.PublishEventAsync("PartsArrived", null, null, null, CancellationToken.None);

        Assert.Equal(["Parent continues"], h.Lines);
        Assert.Equal("Finished", (await h.InstanceAsync(parent.InstanceId)).SubStatus);
        var child = (await h.Queries.ListInstancesAsync("child", CancellationToken.None)).Single();
        Assert.Equal(parent.InstanceId, child.ParentInstanceId);
    }

    [Fact]
    public async Task SequenceAndForEach_RunInOrderWithTheCurrentValue()
    {
        await using var h = new WorkflowHarness();
        var json = """
            { "id": "s1", "definitionId": "seq", "name": "seq", "version": 1,
              "root": { "id": "seq", "type": "Elsa.Sequence", "activities": [
                { "id": "first", "type": "Elsa.WriteLine", "text": "Lines:" },
                { "id": "each", "type": "Elsa.ForEach", "items": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "['oil', 'filter']" } },
                  "body": { "id": "line", "type": "Elsa.WriteLine", "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "`- ${getCurrentValue()}`" } } } },
                { "id": "last", "type": "Elsa.WriteLine", "text": "End" } ] } }
            """;

        await h.RunAsync(json);

        Assert.Equal(["Lines:", "- oil", "- filter", "End"], h.Lines);
    }
}
