using Followup.Workflows.Runtime;
using static Followup.Workflows.Tests.Json;

namespace Followup.Workflows.Tests;

public sealed class FlowchartTests
{
    [Fact]
    public void FlowStateKeptInTheEarlierForm_ReadsTheSame_AndIsWrittenWithoutAFlagPerConnection()
    {
        var earlier = """
            {"activityVisits":{"a":1,"b":1},"connectionVisits":{"a:Done->c:In":1,"b:Done->c:In":1},
             "connectionFollowed":{"a:Done->c:In":true,"b:Done->c:In":false}}
            """;

        var scope = System.Text.Json.JsonSerializer.Deserialize<Activities.Flowchart.FlowScope>(earlier, Serialization.JsonValues.Options)!;
        var written = System.Text.Json.JsonSerializer.Serialize(scope, Serialization.JsonValues.Options);
        var again = System.Text.Json.JsonSerializer.Deserialize<Activities.Flowchart.FlowScope>(written, Serialization.JsonValues.Options)!;

        Assert.Equal(["b:Done->c:In"], again.NotFollowed!);
        Assert.Equal(2, again.ConnectionVisits.Count);
        Assert.DoesNotContain("connectionFollowed", written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImplicitJoin_AfterDecisionWithDeadBranch_RunsOnceInCounterMode()
    {
        await using var h = new WorkflowHarness();
        var result = await h.RunAsync(Workflow("implicit-join",
            [Activity("start", "Elsa.Start"), WriteLine("a", "A"), Decision("d", "return false;"), WriteLine("b", "B"), WriteLine("c", "C")],
            [Connection("start", "a"), Connection("start", "d"), Connection("d", "b", "True"), Connection("a", "c"), Connection("b", "c")]));

        Assert.Equal(["A", "C"], h.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, result.SubStatus);
    }

    [Theory]
    [InlineData("Stream", new[] { "A", "C" })]
    [InlineData("Merge", new[] { "A" })]
    [InlineData("Converge", new[] { "A" })]
    public async Task MergeMode_InTokenMode_DecidesWhetherJoinWaitsForDeadBranch(string mergeMode, string[] expected)
    {
        await using var h = new WorkflowHarness();
        var c = Activity("c", "Elsa.WriteLine", Input("text", "String", "C"), $"\"mergeMode\": \"{mergeMode}\"");
        await h.RunAsync(Workflow("merge",
            [Activity("start", "Elsa.Start"), WriteLine("a", "A"), Decision("d", "return false;"), WriteLine("b", "B"), c],
            [Connection("start", "a"), Connection("start", "d"), Connection("d", "b", "True"), Connection("a", "c"), Connection("b", "c")],
            extra: "\"customProperties\": { \"Flowchart:ExecutionMode\": \"TokenBased\" },"),
            new Dictionary<string, object?>());

        Assert.Equal(expected, h.Lines);
    }

    [Theory]
    [InlineData("WaitAny", new[] { "Start", "One", "End" })]
    [InlineData("WaitAll", new[] { "Start", "One", "Two", "End" })]
    public async Task FlowJoin_WaitsForAnyOrAllBranches(string mode, string[] expected)
    {
        await using var h = new WorkflowHarness();
        var join = Activity("join", "Elsa.FlowJoin", Input("mode", "FlowJoinMode", mode));
        await h.RunAsync(Workflow("join",
            [WriteLine("s", "Start"), WriteLine("one", "One"), Event("wait", "never"), WriteLine("two", "Two"), join, WriteLine("end", "End")],
            [Connection("s", "one"), Connection("s", mode == "WaitAll" ? "two" : "wait"), Connection("one", "join"), Connection(mode == "WaitAll" ? "two" : "wait", "join"), Connection("join", "end")]));

        Assert.Equal(expected, h.Lines);
    }

    [Fact]
    public async Task FlowJoin_WaitAny_CancelsTheBranchStillWaiting()
    {
        await using var h = new WorkflowHarness();
        var join = Activity("join", "Elsa.FlowJoin", Input("mode", "FlowJoinMode", "WaitAny"));
        var result = await h.RunAsync(Workflow("race",
            [Activity("start", "Elsa.Start"), Event("approval", "approved"), Delay("timeout", "2.00:00:00"), join, WriteLine("end", "End")],
            [Connection("start", "approval"), Connection("start", "timeout"), Connection("approval", "join"), Connection("timeout", "join"), Connection("join", "end")]));
        Assert.Single(h.Timers.Pending);

        await h.Runtime.PublishEventAsync("approved", null, null, null, CancellationToken.None);

        Assert.Equal(["End"], h.Lines);
        Assert.Empty(h.Timers.Pending);
        Assert.Single(h.Timers.Cancelled);
        Assert.Equal("Finished", (await h.InstanceAsync(result.InstanceId)).SubStatus);
        await h.AdvanceAsync(TimeSpan.FromDays(3));
        Assert.Equal(["End"], h.Lines);
    }

    [Fact]
    public async Task FlowFork_WithBranchesAsAWrappedInput_FollowsEachNamedBranch()
    {
        await using var h = new WorkflowHarness();
        var fork = Activity("fork", "Elsa.FlowFork", Input("branches", "String[]", "[\"Left\",\"Right\"]", "Object"));
        await h.RunAsync(Workflow("fork",
            [Activity("start", "Elsa.Start"), fork, WriteLine("left", "Left"), WriteLine("right", "Right")],
            [Connection("start", "fork"), Connection("fork", "left", "Left"), Connection("fork", "right", "Right")]));
        Assert.Equal(["Left", "Right"], h.Lines.Order());
    }

    [Fact]
    public async Task BackwardConnection_LoopsUntilDecisionIsFalse()
    {
        await using var h = new WorkflowHarness();
        var increment = Activity("inc", "Elsa.SetVariable", """
            "variable": { "id": "counter", "name": "Counter" }, "value": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getCounter() + 1" } }
            """);
        var result = await h.RunAsync(Workflow("loop",
            [Activity("start", "Elsa.Start"), WriteLine("log", "`Pass ${getCounter()}`", "JavaScript"), increment, Decision("again", "getCounter() < 3"), WriteLine("done", "Done")],
            [Connection("start", "log"), Connection("log", "inc"), Connection("inc", "again"), Connection("again", "log", "True"), Connection("again", "done", "False")],
            extra: """ "variables": [ { "id": "counter", "name": "Counter", "typeName": "Int32", "value": "0" } ], """));

        Assert.Equal(["Pass 0", "Pass 1", "Pass 2", "Done"], h.Lines);
        Assert.Equal(3, result.Variables["Counter"]);
    }

    [Fact]
    public async Task BackwardConnection_ThatAPathToTheStartBypasses_FaultsEveryInstanceThatTakesIt()
    {
        await using var h = new WorkflowHarness();
        // "c" loops back to "a", but the path start → decide → b → c reaches "c" without passing "a".
        var id = await h.ImportAsync(Workflow("bad-loop",
            [Activity("start", "Elsa.Start"), Decision("decide", "true"), WriteLine("a", "A"), WriteLine("b", "B"), WriteLine("c", "C")],
            [Connection("start", "decide"), Connection("decide", "a", "True"), Connection("decide", "b", "False"), Connection("a", "c"), Connection("b", "c"), Connection("c", "a")]));

        // The second instance meets the loop on the graph the first worked it out on, and is refused the same way.
        foreach (var run in new[] { await h.StartAsync(id), await h.StartAsync(id) })
        {
            Assert.Equal(WorkflowSubStatus.Faulted, run.SubStatus);
            Assert.Equal("Invalid backward connection: every path from 'c' back to the start must pass through 'a'.", Assert.Single(run.Incidents).Message);
        }
        Assert.Equal(["A", "C", "A", "C"], h.Lines);
    }

    [Fact]
    public async Task EndNode_CompletesFlowchartAndCancelsOtherBranches()
    {
        await using var h = new WorkflowHarness();
        var result = await h.RunAsync(Workflow("end",
            [Activity("start", "Elsa.Start"), Event("wait", "never"), Activity("end", "Elsa.End")],
            [Connection("start", "wait"), Connection("start", "end")]));

        Assert.Equal(WorkflowSubStatus.Finished, result.SubStatus);
        Assert.Empty(await h.Store.ListBookmarksAsync(result.InstanceId, CancellationToken.None));
    }

    [Fact]
    public async Task StartActivity_IsTheOneWithoutInboundConnections_WhenThereIsNoStartNode()
    {
        await using var h = new WorkflowHarness();
        await h.RunAsync(Workflow("no-start",
            [WriteLine("second", "Second"), WriteLine("first", "First")],
            [Connection("first", "second")]));

        Assert.Equal(["First", "Second"], h.Lines);
    }

    [Fact]
    public async Task FlowSwitch_FollowsMatchingCaseOrDefault()
    {
        await using var h = new WorkflowHarness();
        var flowSwitch = Activity("sw", "Elsa.FlowSwitch", """
            "cases": [ { "label": "Low", "condition": { "type": "JavaScript", "value": "getInput('Score') <= 2" } },
                       { "label": "High", "condition": { "type": "JavaScript", "value": "getInput('Score') >= 4" } } ]
            """);
        var id = await h.ImportAsync(Workflow("switch",
            [Activity("start", "Elsa.Start"), flowSwitch, WriteLine("low", "Escalate"), WriteLine("high", "Thank"), WriteLine("other", "Neutral")],
            [Connection("start", "sw"), Connection("sw", "low", "Low"), Connection("sw", "high", "High"), Connection("sw", "other", "Default")]));

        await h.StartAsync(id, new Dictionary<string, object?> { ["Score"] = 1 });
        await h.StartAsync(id, new Dictionary<string, object?> { ["Score"] = 5 });
        await h.StartAsync(id, new Dictionary<string, object?> { ["Score"] = 3 });

        Assert.Equal(["Escalate", "Thank", "Neutral"], h.Lines);
    }
}
