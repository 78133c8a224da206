using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Followup.Activities.Tasks;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

/// <summary>Elsa's HTTP activities and run-task completion, called over HTTP as an integration would.</summary>
public sealed class HttpWorkflowTests : IDisposable
{
    private readonly WireMockServer _users = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });

    public void Dispose() => _users.Stop();

    /// <summary>Elsa's "get user" guide workflow: endpoint users/{userid}, C# for the id and the address, answers by the directory's status.</summary>
    private string GetUser(string directory) => Workflow("get-user",
        [Activity("endpoint", "Elsa.HttpEndpoint", Input("path", "String", "users/{userid}") + "," + Input("supportedMethods", "String[]", "[\"GET\"]", "Object")
            + """, "routeData": { "typeName": "ObjectDictionary", "memoryReference": { "id": "route" } }""", "\"canStartWorkflow\": true"),
         Activity("set", "Elsa.SetVariable", """ "variable": { "id": "uid", "name": "UserId" }, """ + Input("value", "Object", "return Variables.RouteData[\"userid\"];", "CSharp")),
         Activity("get", "Elsa.FlowSendHttpRequest", Input("url", "String", $"return $\"{directory}/api/users/{{Variables.UserId}}\";", "CSharp") + "," + Input("method", "String", "GET")
            + "," + Input("expectedStatusCodes", "Int32[]", "[\"200\",\"404\"]", "Object") + """, "parsedContent": { "typeName": "Object", "memoryReference": { "id": "user" } }"""),
         Activity("ok", "Elsa.WriteHttpResponse", Input("statusCode", "HttpStatusCode", "OK") + "," + Input("content", "Object", "getUser().data", "JavaScript")),
         Activity("missing", "Elsa.WriteHttpResponse", Input("statusCode", "HttpStatusCode", "NotFound"))],
        [Connection("endpoint", "set"), Connection("set", "get"), Connection("get", "ok", "200"), Connection("get", "missing", "404")],
        extra: """ "variables": [ { "id": "route", "name": "RouteData", "typeName": "ObjectDictionary" }, { "id": "uid", "name": "UserId", "typeName": "String" }, { "id": "user", "name": "User", "typeName": "Object" } ], """);

    private async Task<HostFactory> HostAsync(bool allowCSharp = true, params (string File, string Json)[] more)
    {
        var host = new HostFactory([("get-user.json", GetUser(_users.Url!)), .. more]);
        if (allowCSharp)
            host.Settings["Engine:AllowCSharp"] = "true";
        await Task.CompletedTask;
        return host;
    }

    [Fact]
    public async Task HttpEndpoint_StartsTheWorkflow_AndItsAnswerFollowsTheDirectorysStatus()
    {
        _users.Given(Request.Create().WithPath("/api/users/2").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{ "data": { "id": 2, "first_name": "Janet" } }"""));
        _users.Given(Request.Create().WithPath("/api/users/23").UsingGet()).RespondWith(Response.Create().WithStatusCode(404).WithBody("{}"));
        await using var host = await HostAsync();
        var client = host.CreateClient();

        var found = await client.GetAsync("/workflows/users/2");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("Janet", JsonNode.Parse(await found.Content.ReadAsStringAsync())!["first_name"]!.GetValue<string>());
        Assert.True(found.Headers.Contains("x-elsa-workflow-instance-id"));

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/workflows/users/23")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/workflows/users/2", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/workflows/nothing/here")).StatusCode);
    }

    [Fact]
    public async Task HttpEndpoint_ADirectoryThatDoesNotAnswer_IsReportedAsAFaultNamingTheRequest()
    {
        var directory = _users.Url!;
        _users.Stop();
        await using var host = await HostAsync();

        var response = await host.CreateClient().GetAsync("/workflows/users/2");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains($"GET {directory}/api/users/2 got no response", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CSharpExpressions_AreOffUnlessTheHostAllowsThem()
    {
        await using var host = await HostAsync(allowCSharp: false);

        var response = await host.CreateClient().GetAsync("/workflows/users/2");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Engine:AllowCSharp", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpEndpoint_WithAuthorize_NeedsAnApiKey_AndAWaitingEndpointIsResumedWithTheBody()
    {
        var orders = Workflow("orders",
            [WriteLine("start", "Order waits"),
             Activity("confirm", "Elsa.HttpEndpoint", Input("path", "String", "orders/{id}/confirm") + "," + Input("supportedMethods", "String[]", "[\"POST\"]", "Object")
                + "," + Input("authorize", "Boolean", "true") + """, "parsedContent": { "typeName": "Object", "memoryReference": { "id": "body" } }"""),
             Activity("answer", "Elsa.WriteHttpResponse", Input("statusCode", "HttpStatusCode", "202") + "," + Input("content", "Object", "({ confirmedBy: getBody().by })", "JavaScript"))],
            [Connection("start", "confirm"), Connection("confirm", "answer")],
            extra: """ "variables": [ { "id": "body", "name": "Body", "typeName": "Object" } ], """);
        await using var host = await HostAsync(true, ("orders.json", orders));
        var api = host.Api();
        var started = await api.PostAsJsonAsync("/elsa/api/workflow-definitions/orders/execute", new { });
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var body = () => new StringContent("""{ "by": "fleet-system" }""", Encoding.UTF8, "application/json");

        var anonymous = await host.CreateClient().PostAsync("/workflows/orders/7/confirm", body());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var unreadable = await api.PostAsync("/workflows/orders/7/confirm", new StringContent("{ \"by\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);

        var confirmed = await api.PostAsync("/workflows/orders/7/confirm", body());
        Assert.Equal(HttpStatusCode.Accepted, confirmed.StatusCode);
        Assert.Equal("fleet-system", JsonNode.Parse(await confirmed.Content.ReadAsStringAsync())!["confirmedBy"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("/workflows/orders/7/confirm", body())).StatusCode);
    }

    [Fact]
    public async Task RunTask_IsCompletedThroughTheElsaTasksApi_Once()
    {
        var onboarding = Workflow("onboarding",
            [Activity("email", "Elsa.RunTask", Input("taskName", "String", "Create Email Account") + "," + Input("payload", "Object", "({ description: 'Create an email account' })", "JavaScript")
                + """, "result": { "typeName": "Object", "memoryReference": { "id": "r" } }"""),
             WriteLine("done", "`Account: ${getR().address}`", "JavaScript")],
            [Connection("email", "done")],
            extra: """ "variables": [ { "id": "r", "name": "R", "typeName": "Object" } ], """);
        await using var host = await HostAsync(false, ("onboarding.json", onboarding));
        var api = host.Api();
        var started = await api.PostAsJsonAsync("/elsa/api/workflow-definitions/onboarding/execute", new { });
        var instanceId = started.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        var task = (await host.Services.GetRequiredService<TaskStore>().ListOpenAsync("liu", ["Manager"], true, CancellationToken.None)).Single(t => t.InstanceId == instanceId);

        var done = await api.PostAsJsonAsync($"/elsa/api/tasks/{task.Id}/complete", new { result = new { address = "li.lei@dealer.example" } });
        Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync($"/elsa/api/tasks/{task.Id}/complete", new { result = "again" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync("/elsa/api/tasks/no-such-task/complete", new { })).StatusCode);

        var instance = (await host.Services.GetRequiredService<Followup.Workflows.Runtime.IWorkflowRuntime>().FindAsync(instanceId, CancellationToken.None))!;
        Assert.Equal(Followup.Workflows.Runtime.WorkflowSubStatus.Finished, instance.SubStatus);
        Assert.Equal("li.lei@dealer.example", Assert.IsType<Dictionary<string, object?>>(instance.Variables["R"])["address"]);
    }

    [Fact]
    public async Task FlowSendHttpRequest_SendsContentAndHeaders_AndAnUnexpectedStatusTakesTheUnmatchedWay()
    {
        _users.Given(Request.Create().WithPath("/api/orders").UsingPost().WithHeader("X-Store", "pudong").WithHeader("Authorization", "Bearer t0ken")
                .WithBody(new WireMock.Matchers.JsonMatcher("""{ "part": "brake pads", "qty": 2 }""")))
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("busy"));
        var order = Workflow("order",
            [Activity("send", "Elsa.FlowSendHttpRequest", string.Join(",", Input("url", "String", _users.Url + "/api/orders"), Input("method", "String", "POST"),
                Input("content", "Object", "({ part: 'brake pads', qty: 2 })", "JavaScript"), Input("authorization", "String", "Bearer t0ken"),
                Input("requestHeaders", "Object", "{ \"X-Store\": \"pudong\" }", "Object"), Input("expectedStatusCodes", "Int32[]", "[200]", "Object"))
                + """, "statusCode": { "typeName": "Object", "memoryReference": { "id": "status" } }"""),
             Activity("ok", "Elsa.SetName", Input("value", "String", "ordered")),
             Activity("other", "Elsa.SetName", Input("value", "String", "supplier said no"))],
            [Connection("send", "ok", "200"), Connection("send", "other", "Unmatched status code")],
            extra: """ "variables": [ { "id": "status", "name": "Status", "typeName": "Int32" } ], """);
        await using var host = await HostAsync(false, ("order.json", order));

        var started = await host.Api().PostAsJsonAsync("/elsa/api/workflow-definitions/order/execute", new { });

        var id = started.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        var run = (await host.Services.GetRequiredService<Followup.Workflows.Runtime.IWorkflowRuntime>().FindAsync(id, CancellationToken.None))!;
        Assert.Equal(Followup.Workflows.Runtime.WorkflowSubStatus.Finished, run.SubStatus);
        Assert.Equal(503, Convert.ToInt32(run.Variables["Status"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("supplier said no", (await host.Queries.FindInstanceAsync(id, CancellationToken.None))!.Name);
    }

    [Fact]
    public async Task HttpEndpoints_AnswerAtMostTheSetNumberOfRequestsAMinuteFromOneAddress()
    {
        _users.Given(Request.Create().WithPath("/api/users/2").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{ "data": { "id": 2 } }"""));
        await using var host = await HostAsync();
        host.Settings["HttpWorkflows:RequestsPerMinute"] = "3";
        var client = host.CreateClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            answers.Add((await client.GetAsync("/workflows/users/2")).StatusCode);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers);
    }
}
