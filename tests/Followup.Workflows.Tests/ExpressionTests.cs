using Followup.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;
using static Followup.Workflows.Tests.Json;

namespace Followup.Workflows.Tests;

public sealed class ExpressionTests
{
    [Fact]
    public async Task Liquid_RendersVariablesAndInputs()
    {
        await using var h = new WorkflowHarness();
        await h.RunAsync(Workflow("liquid",
            [WriteLine("w", "Hello {{ Input.Name | upcase }}, your {{ Variables.Model }} is due.", "Liquid")], [],
            extra: """ "variables": [ { "id": "m", "name": "Model", "typeName": "String", "value": "Golf" } ], """),
            new Dictionary<string, object?> { ["Name"] = "Anna" });

        Assert.Equal(["Hello ANNA, your Golf is due."], h.Lines);
    }

    [Fact]
    public async Task VariableAndInputExpressions_ReadByName()
    {
        await using var h = new WorkflowHarness();
        await h.RunAsync(Workflow("refs",
            [WriteLine("v", "Model", "Variable"), WriteLine("i", "Plate", "Input")], [Connection("v", "i")],
            extra: """ "variables": [ { "id": "m", "name": "Model", "typeName": "String", "value": "Golf" } ], """),
            new Dictionary<string, object?> { ["Plate"] = "B-123" });

        Assert.Equal(["Golf", "B-123"], h.Lines);
    }

    [Fact]
    public async Task JavaScript_ReadsOutputsOfEarlierActivitiesByName()
    {
        await using var h = new WorkflowHarness();
        var script = Activity("calc", "Elsa.RunJavaScript", Input("script", "String", "return 6 * 7;"));
        var json = Workflow("outputs", [script.Replace("\"id\": \"calc\"", "\"id\": \"calc\", \"name\": \"Calc\"", StringComparison.Ordinal), WriteLine("show", "`Answer ${getResultFromCalc()}`", "JavaScript")], [Connection("calc", "show")]);

        await h.RunAsync(json);

        Assert.Equal(["Answer 42"], h.Lines);
    }

    [Fact]
    public async Task RunawayScript_FaultsTheInstanceWithAClearIncident()
    {
        await using var h = new WorkflowHarness(s => s.Configure<EngineOptions>(o => o.ScriptTimeout = TimeSpan.FromMilliseconds(300)));
        var result = await h.RunAsync(Workflow("runaway",
            [Activity("loop", "Elsa.RunJavaScript", Input("script", "String", "while (true) { }")), WriteLine("never", "never")],
            [Connection("loop", "never")]));

        Assert.Equal(WorkflowSubStatus.Faulted, result.SubStatus);
        var incident = Assert.Single(result.Incidents);
        Assert.Contains("exceeded its limits", incident.Message, StringComparison.Ordinal);
        Assert.Empty(h.Lines);
        Assert.Single(await h.Queries.ListIncidentsAsync(result.InstanceId, CancellationToken.None));
    }

    [Fact]
    public async Task DeepRecursion_IsStoppedByTheRecursionLimit()
    {
        await using var h = new WorkflowHarness();
        var result = await h.RunAsync(Workflow("recursion",
            [Activity("r", "Elsa.RunJavaScript", Input("script", "String", "function f(n) { return f(n + 1); } f(0);"))], []));

        Assert.Equal(WorkflowSubStatus.Faulted, result.SubStatus);
        Assert.Contains("limits", Assert.Single(result.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunJavaScript_SetOutcome_ChoosesThePort()
    {
        await using var h = new WorkflowHarness();
        await h.RunAsync(Workflow("outcome",
            [Activity("js", "Elsa.RunJavaScript", Input("script", "String", "setOutcome('Warranty');")), WriteLine("w", "Warranty claim"), WriteLine("d", "Paid")],
            [Connection("js", "w", "Warranty"), Connection("js", "d")]));

        Assert.Equal(["Warranty claim"], h.Lines);
    }
}
