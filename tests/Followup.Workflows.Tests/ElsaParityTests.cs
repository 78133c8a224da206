using Followup.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;
using static Followup.Workflows.Tests.Json;

namespace Followup.Workflows.Tests;

/// <summary>Elsa's semantics for Sequence, Break, Finish, For, Parallel, faults and scripts.</summary>
public sealed class ElsaParityTests
{
    private static string Seq(string id, params string[] activities) => Container(id, "Elsa.Sequence", activities);

    [Fact]
    public async Task Break_OutsideALoop_StopsEveryEnclosingSequence()
    {
        await using var h = new WorkflowHarness();
        var result = await h.RunAsync(WorkflowOf("break", Seq("outer",
            WriteLine("o1", "Outer start"),
            Seq("inner", WriteLine("i1", "Inner 1"), Activity("brk", "Elsa.Break"), WriteLine("i2", "Inner 2")),
            WriteLine("o2", "Outer after inner"))));

        Assert.Equal(["Outer start", "Inner 1"], h.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, result.SubStatus);
    }

    [Fact]
    public async Task TerminalChild_CompletesItsSequence_AndTheParentGoesOn()
    {
        await using var h = new WorkflowHarness();
        await h.RunAsync(WorkflowOf("end-in-seq", Seq("outer",
            Seq("inner", WriteLine("a", "A"), Activity("end", "Elsa.End"), WriteLine("b", "B")),
            WriteLine("c", "C"))));

        Assert.Equal(["A", "C"], h.Lines);
    }

    [Fact]
    public async Task For_CountsUpWithBreak_AndDownWithANegativeStep()
    {
        await using var h = new WorkflowHarness();
        var body = Seq("body",
            Activity("if", "Elsa.If", Input("condition", "Boolean", "getCurrentValue() == 2", "JavaScript") + """, "then": { "id": "brk", "type": "Elsa.Break", "version": 1 }"""),
            WriteLine("line", "'up ' + getCurrentValue()", "JavaScript"));
        await h.RunAsync(WorkflowOf("for-up", Seq("s",
            Activity("for", "Elsa.For", Input("start", "Int32", "0") + "," + Input("end", "Int32", "3") + ", \"body\": " + body),
            WriteLine("end", "End"))));
        await h.RunAsync(WorkflowOf("for-down", Activity("down", "Elsa.For",
            Input("start", "Int32", "5") + "," + Input("end", "Int32", "1") + "," + Input("step", "Int32", "-2") + "," + Input("outerBoundInclusive", "Boolean", "false")
            + ", \"body\": " + WriteLine("d", "'down ' + getCurrentValue()", "JavaScript"))));

        Assert.Equal(["up 0", "up 1", "End", "down 5", "down 3"], h.Lines);
    }

    [Fact]
    public async Task Finish_EndsTheWorkflow_ThoughAnotherBranchStillWaits()
    {
        await using var h = new WorkflowHarness();
        var result = await h.RunAsync(WorkflowOf("finish", Container("par", "Elsa.Parallel",
            Event("wait", "NeverComes"),
            Seq("s", WriteLine("a", "Line 1"), Activity("fin", "Elsa.Finish"), WriteLine("b", "Line 2")))));

        Assert.Equal(["Line 1"], h.Lines);
        Assert.Equal(WorkflowSubStatus.Finished, result.SubStatus);
        Assert.Empty(result.Bookmarks);
    }

    [Fact]
    public async Task Parallel_CompletesWhenEveryBranchCompleted()
    {
        await using var h = new WorkflowHarness();
        var result = await h.RunAsync(WorkflowOf("par", Seq("s",
            Container("par", "Elsa.Parallel", Event("parts", "PartsArrived"), WriteLine("a", "Branch done")),
            WriteLine("after", "After parallel"))));
        Assert.Equal(["Branch done"], h.Lines);
        Assert.Equal(WorkflowSubStatus.Suspended, result.SubStatus);

        await h.Runtime.PublishEventAsync("PartsArrived", null, null, null, CancellationToken.None);

        Assert.Equal(["Branch done", "After parallel"], h.Lines);
        Assert.Equal("Finished", (await h.InstanceAsync(result.InstanceId)).SubStatus);
    }

    [Fact]
    public async Task Fault_LetsWorkAlreadyScheduledInOtherBranchesRun()
    {
        await using var h = new WorkflowHarness();
        var result = await h.RunAsync(WorkflowOf("fault-par", Container("par", "Elsa.Parallel",
            Activity("f", "Elsa.Fault", Input("message", "String", "Parts system unreachable")),
            WriteLine("other", "Other branch ran"))));

        Assert.Equal(["Other branch ran"], h.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Equal(WorkflowSubStatus.Faulted, result.SubStatus);
        Assert.Equal("Parts system unreachable", Assert.Single(result.Incidents).Message);
    }

    [Fact]
    public async Task Scripts_UsePascalAccessors_WriteBackVariables_AndHaveElsasHelpers()
    {
        await using var h = new WorkflowHarness();
        var result = await h.RunAsync(WorkflowOf("js", Seq("s",
            Activity("js1", "Elsa.RunJavaScript", Input("script", "String", "setMyNumber(getMyNumber() + 1); variables.Product = { id: 2, price: 10 };")),
            WriteLine("w1", "getMyNumber() + ' ' + variables.Product.id + ' ' + getProduct().price", "JavaScript"),
            WriteLine("w2", "stringFromBase64(stringToBase64('保养')) + ' ' + bytesToString(bytesFromBase64(bytesToBase64(bytesFromString('ok'))))", "JavaScript"),
            WriteLine("w3", "[newShortGuid().length, parseGuid(newGuid()).length, getGuidString().length].join(',')", "JavaScript"),
            WriteLine("w4", "{{ Variables.Product.price }}", "Liquid")),
            extra: """ "variables": [ { "id": "n", "name": "myNumber", "typeName": "Int32", "value": 41 }, { "id": "p", "name": "Product", "typeName": "Object" } ], """));

        Assert.Equal(["42 2 10", "保养 ok", "22,36,36", "10"], h.Lines);
        Assert.Equal(42, Convert.ToInt32(result.Variables["myNumber"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AVariableNamedCurrentValue_IsNotHiddenByTheLoopHelper()
    {
        await using var h = new WorkflowHarness();
        await h.RunAsync(WorkflowOf("cv", Activity("each", "Elsa.ForEach",
            Input("items", "Object", "[1, 2]", "JavaScript") + ", \"body\": " + WriteLine("w", "'v=' + getCurrentValue()", "JavaScript")),
            extra: """ "variables": [ { "id": "cv", "name": "CurrentValue", "typeName": "String", "value": "mine" } ], """));

        Assert.Equal(["v=mine", "v=mine"], h.Lines);
    }

    /// <summary>A child that sets one output, and a parent that runs it, waits, binds its result to a variable and writes <paramref name="line"/>.</summary>
    private static async Task RunParentOfChildAsync(WorkflowHarness h, string runType, (string Name, string Value) output, (string Name, string Type) variable, string line)
    {
        await h.ImportAsync(Workflow("child",
            [Activity("out", "Elsa.SetOutput", Input("outputName", "String", output.Name) + "," + Input("outputValue", "Object", output.Value))], [],
            extra: $$""" "outputs": [ { "name": "{{output.Name}}", "type": "String" } ], """));
        await h.RunAsync(WorkflowOf("parent", Seq("s",
            Activity("run", runType, Input("workflowDefinitionId", "String", "child") + "," + Input("waitForCompletion", "Boolean", "true")
                + """, "result": { "typeName": "Object", "memoryReference": { "id": "r" } }"""),
            WriteLine("w", line, "JavaScript")),
            extra: $$""" "variables": [ { "id": "r", "name": "{{variable.Name}}", "typeName": "{{variable.Type}}" } ], """));
    }

    [Fact]
    public async Task ExecuteWorkflow_ResultIsElsasObject_WithTheChildsOutput()
    {
        await using var h = new WorkflowHarness();
        await RunParentOfChildAsync(h, "Elsa.ExecuteWorkflow", ("Result", "brake pads"), ("ChildResult", "Object"),
            "getChildResult().status + ' ' + getChildResult().output.Result + ' ' + (getChildResult().workflowInstanceId.length > 0)");

        Assert.Equal(["Finished brake pads true"], h.Lines);
    }

    [Fact]
    public async Task CSharpExpressions_ReadAndWriteVariables_WhenTheHostAllowsThem()
    {
        await using var h = new WorkflowHarness(s => s.Configure<EngineOptions>(o => o.AllowCSharp = true));
        await h.RunAsync(WorkflowOf("cs", Seq("s",
            Activity("set", "Elsa.SetVariable", """ "variable": { "id": "uid", "name": "UserId" }, """ + Input("value", "Object", "return Variables.Route[\"userid\"];", "CSharp")),
            Activity("js", "Elsa.RunJavaScript", Input("script", "String", "setCount(getCount() + 1)")),
            WriteLine("w", "$\"users/{Variables.UserId} x{Variables.Count}\"", "CSharp")),
            extra: """ "variables": [ { "id": "route", "name": "Route", "typeName": "ObjectDictionary", "value": { "userid": "7" } }, { "id": "uid", "name": "UserId", "typeName": "String" }, { "id": "n", "name": "Count", "typeName": "Int32", "value": 1 } ], """));

        Assert.Equal(["users/7 x2"], h.Lines);
    }

    [Fact]
    public async Task CSharpExpressions_AreRefusedByDefault_AndACompileErrorSaysWhy()
    {
        await using var off = new WorkflowHarness();
        var refused = await off.RunAsync(WorkflowOf("cs-off", WriteLine("w", "\"hi\"", "CSharp")));
        Assert.Equal(WorkflowSubStatus.Faulted, refused.SubStatus);
        Assert.Contains("Engine:AllowCSharp", Assert.Single(refused.Incidents).Message, StringComparison.Ordinal);

        await using var on = new WorkflowHarness(s => s.Configure<EngineOptions>(o => o.AllowCSharp = true));
        var broken = await on.RunAsync(WorkflowOf("cs-bad", WriteLine("w", "return Variables.;", "CSharp")));
        Assert.Equal(WorkflowSubStatus.Faulted, broken.SubStatus);
        Assert.Contains("does not compile", Assert.Single(broken.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnObjectOutput_BoundToAStringVariable_KeepsItsShape()
    {
        await using var h = new WorkflowHarness();
        await RunParentOfChildAsync(h, "Elsa.DispatchWorkflow", ("Response", "Hello from Child"), ("ChildOutput", "String"), "getChildOutput().Response");

        Assert.Equal(["Hello from Child"], h.Lines);
    }

    [Fact]
    public async Task WriteHttpResponse_WithoutARequest_CompletesAndSaysSo()
    {
        await using var h = new WorkflowHarness();
        var result = await h.RunAsync(WorkflowOf("answer", Activity("w", "Elsa.WriteHttpResponse", Input("statusCode", "String", "OK"))));

        Assert.Equal(WorkflowSubStatus.Finished, result.SubStatus);
        Assert.Contains(await h.Queries.ListJournalAsync(result.InstanceId, CancellationToken.None), j => j.EventName == "Skipped" && j.Message == "no HTTP request to answer");
    }

    [Theory]
    [InlineData("users/{userid}", "users/7", "userid=7")]
    [InlineData("users/{userid}", "Users/7/", "userid=7")]
    [InlineData("users/{userid}", "users", null)]
    [InlineData("users/{userid}", "users/7/orders", null)]
    [InlineData("orders/{id}/{line?}", "orders/5", "id=5")]
    [InlineData("orders/{id:int}/{line?}", "orders/5/2", "id=5;line=2")]
    [InlineData("files/{*rest}", "files/a/b%20c", "rest=a/b c")]
    [InlineData("files/{**rest}", "files", "rest=")]
    [InlineData("status", "state", null)]
    public void HttpRoutes_MatchAPathToATemplate(string template, string path, string? values)
    {
        var match = Followup.Workflows.Activities.Http.HttpRoutes.Match(template, path);
        Assert.Equal(values, match is null ? null : string.Join(";", match.Select(kv => $"{kv.Key}={kv.Value}")));
    }
}
