using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Followup.Host.Security;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

/// <summary>The Elsa-compatible API: who may call it, and the shapes Elsa Studio depends on.</summary>
public sealed class DesignerApiTests
{
    private static readonly string Callback = Workflow("callback",
        [Activity("start", "Elsa.Start"), Delay("wait", "3.00:00:00"), Activity("end", "Elsa.End")],
        [Connection("start", "wait"), Connection("wait", "end")]);

    [Fact]
    public async Task Advisors_anonymous_callers_and_wrong_api_keys_are_refused_by_the_designer_and_its_api()
    {
        await using var host = new HostFactory(("callback.json", Callback));
        await host.AddStaffAsync("li", "advisor-pass-123", Roles.Advisor);
        await host.AddStaffAsync("wang", "manager-pass-123", Roles.Manager);
        const string api = "/elsa/api/descriptors/activities?Refresh=True";

        var anonymous = host.CreateClient(new() { AllowAutoRedirect = false });
        var toLogin = await anonymous.GetAsync("/designer/");
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        Assert.StartsWith("/account/login", toLogin.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(api)).StatusCode);

        var wrongKey = host.CreateClient();
        wrongKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", "not-the-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync(api)).StatusCode);
        var forgedToken = host.CreateClient();
        forgedToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "CfDJ8forged");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forgedToken.GetAsync(api)).StatusCode);

        var advisor = await host.SignedInAsync("li", "advisor-pass-123");
        var denied = await advisor.GetAsync("/designer/");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/account/denied", denied.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await advisor.GetAsync(api)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await advisor.PostAsJsonAsync("/elsa/api/workflow-definitions/callback/retract", new { })).StatusCode);

        var manager = await host.SignedInAsync("wang", "manager-pass-123");
        var page = await manager.GetStringAsync("/designer/");
        Assert.Contains("<elsa-workflow-definition-list", page, StringComparison.Ordinal);
        var token = System.Text.RegularExpressions.Regex.Match(page, "access-token=\"([^\"]+)\"").Groups[1].Value;
        var studio = host.CreateClient();
        studio.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WebUtility.HtmlDecode(token));
        Assert.Equal(HttpStatusCode.OK, (await studio.GetAsync(api)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Api().GetAsync(api)).StatusCode);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_pause_sign_in_for_that_account_from_that_address()
    {
        await using var host = new HostFactory();
        await host.AddStaffAsync("wang", "manager-pass-123", Roles.Manager);
        for (var i = 0; i < 5; i++)
            await Assert.ThrowsAsync<InvalidOperationException>(() => host.SignedInAsync("wang", "wrong-password-1"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.SignedInAsync("wang", "manager-pass-123"));
    }

    [Fact]
    public async Task The_api_answers_in_the_shapes_elsa_studio_expects()
    {
        await using var host = new HostFactory(("callback.json", Callback));
        var api = host.Api();

        // camelCase, isLatest and the publish link on the definition.
        var definition = await api.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions/by-definition-id/callback?versionOptions=Latest");
        Assert.True(definition!["isLatest"]!.GetValue<bool>());
        Assert.Contains(definition["links"]!.AsArray(), l => l!["rel"]!.GetValue<string>() == "publish");
        Assert.Equal("Workflow1:flow1", definition["root"]!["nodeId"]!.GetValue<string>());
        Assert.All(definition["root"]!["activities"]!.AsArray(), a => Assert.StartsWith("Workflow1:flow1:", a!["nodeId"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.DoesNotContain("\"DefinitionId\"", definition.ToJsonString(), StringComparison.Ordinal);

        // Descriptors: browsable activities and inputs, Followup's own among them; expression types beyond the basic four.
        var descriptors = await api.GetFromJsonAsync<JsonObject>("/elsa/api/descriptors/activities?Refresh=True");
        var sms = descriptors!["items"]!.AsArray().Single(d => d!["typeName"]!.GetValue<string>() == "Followup.SendSms")!;
        Assert.True(sms["isBrowsable"]!.GetValue<bool>());
        Assert.All(sms["inputs"]!.AsArray(), i => Assert.True(i!["isBrowsable"]!.GetValue<bool>()));
        Assert.Equal(descriptors["count"]!.GetValue<int>(), descriptors["items"]!.AsArray().Count);
        var estimate = descriptors["items"]!.AsArray().Single(d => d!["typeName"]!.GetValue<string>() == "Followup.EstimateApproval")!;
        Assert.Equal(["Approved", "PartiallyApproved", "Declined", "TimedOut"], estimate["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.False(descriptors["items"]!.AsArray().Single(d => d!["typeName"]!.GetValue<string>() == "Elsa.Flowchart")!["isBrowsable"]!.GetValue<bool>());
        var expressions = await api.GetFromJsonAsync<JsonObject>("/elsa/api/descriptors/expression-descriptors");
        Assert.Contains(expressions!["items"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "JavaScript" && e["isBrowsable"]!.GetValue<bool>());
        Assert.Contains(expressions["items"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "Liquid");
        foreach (var list in new[] { "workflow-activation-strategies", "log-persistence-strategies", "incident-strategies", "commit-strategies/workflows", "commit-strategies/activities", "variables", "storage-drivers" })
            Assert.NotNull((await api.GetFromJsonAsync<JsonObject>($"/elsa/api/descriptors/{list}"))!["items"]);

        // Page is 0-based; True/False query values.
        var page0 = await api.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions?versionOptions=Latest&Page=0&PageSize=10&IsSystem=False&OrderDirection=Ascending");
        Assert.Equal("callback", page0!["items"]!.AsArray().Single()!["definitionId"]!.GetValue<string>());
        Assert.Empty((await api.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions?versionOptions=Latest&Page=1&PageSize=10"))!["items"]!.AsArray());

        // A save answers with the publish link; a save of a published version makes a new draft; publish makes it the one new instances start.
        var model = definition.DeepClone().AsObject();
        model["name"] = "Callback (edited)";
        var saved = await (await api.PostAsJsonAsync("/elsa/api/workflow-definitions", new { model, publish = false })).Content.ReadFromJsonAsync<JsonObject>();
        var draft = saved!["workflowDefinition"]!;
        Assert.Equal(2, draft["version"]!.GetValue<int>());
        Assert.False(draft["isPublished"]!.GetValue<bool>());
        Assert.Contains(draft["links"]!.AsArray(), l => l!["rel"]!.GetValue<string>() == "publish");
        var published = await (await api.PostAsJsonAsync("/elsa/api/workflow-definitions", new { model = draft, publish = true })).Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(published!["workflowDefinition"]!["isPublished"]!.GetValue<bool>());
        Assert.Equal(2, published["workflowDefinition"]!["version"]!.GetValue<int>());

        // "Create workflow" posts a bare root without ids: the server assigns them.
        var created = await (await api.PostAsJsonAsync("/elsa/api/workflow-definitions", JsonNode.Parse("""
            { "model": { "id": null, "definitionId": null, "name": "Workflow 1", "version": 1, "createdAt": "0001-01-01T00:00:00+00:00",
                         "variables": null, "options": null, "root": { "id": "a609d3816c604998", "type": "Elsa.Flowchart", "version": 1, "name": "Flowchart1" } },
              "publish": null }
            """))).Content.ReadFromJsonAsync<JsonObject>();
        Assert.False(string.IsNullOrEmpty(created!["workflowDefinition"]!["definitionId"]!.GetValue<string>()));
        Assert.Equal("Workflow1:a609d3816c604998", created["workflowDefinition"]!["root"]!["nodeId"]!.GetValue<string>());
        // It comes back as the editor reads it: options an object, the lists empty, made now (not 0001-01-01).
        var fresh = created["workflowDefinition"]!.AsObject();
        Assert.IsType<JsonObject>(fresh["options"]);
        Assert.All(new[] { "variables", "inputs", "outputs", "outcomes" }, name => Assert.Empty(Assert.IsType<JsonArray>(fresh[name])));
        Assert.StartsWith("2026-03-02T09:00:00", fresh["createdAt"]!.ToString(), StringComparison.Ordinal);
        var versions = await api.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-definitions?versionOptions=AllVersions&definitionIds={fresh["definitionId"]}");
        Assert.All(versions!["items"]!.AsArray(), v => Assert.StartsWith("2026-", v!["createdAt"]!.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_save_with_an_unknown_activity_is_refused_with_a_message_and_stores_nothing()
    {
        await using var host = new HostFactory(("callback.json", Callback));
        var api = host.Api();
        var definition = await api.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions/by-definition-id/callback");
        definition!["root"]!["activities"]!.AsArray().Add(JsonNode.Parse("""{ "id": "x1", "type": "Acme.Unknown", "version": 1 }"""));
        var response = await api.PostAsJsonAsync("/elsa/api/workflow-definitions", new { model = definition, publish = false });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("Acme.Unknown", problem!["errors"]!.ToJsonString(), StringComparison.Ordinal);
        var versions = await api.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions?versionOptions=AllVersions&DefinitionIds=callback");
        Assert.Single(versions!["items"]!.AsArray());

        var export = await api.GetAsync("/elsa/api/workflow-definitions/callback/export?versionOptions=1&includeConsumingWorkflows=False");
        Assert.Equal("callback.json", export.Content.Headers.ContentDisposition!.FileName);
        var file = Path.Combine(host.Folder, "exported.json");
        await File.WriteAllTextAsync(file, await export.Content.ReadAsStringAsync());

        // The exported Elsa JSON runs unchanged with the command line: the delay suspends it, --resume-all finishes it.
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(0, await Followup.Host.Cli.CommandLine.RunAsync(["run", file, "--resume-all"], stdout, stderr));
        Assert.Contains("\"subStatus\":\"Finished\"", stdout.ToString(), StringComparison.Ordinal);
    }
}
