using System.Net;
using System.Net.Http.Json;
using Followup.Host.Security;
using static Followup.Workflows.Tests.Json;

namespace Followup.Host.Tests;

/// <summary>The workflow runs pages over HTTP: filters, an unknown run, a retry that fails again, and both languages.</summary>
public sealed class InstancePagesTests
{
    [Fact]
    public async Task A_faulted_run_is_listed_by_state_shows_why_in_both_languages_and_a_retry_records_a_second_incident()
    {
        var parts = Workflow("parts-check",
            [Activity("ask", "Elsa.SendHttpRequest", Input("url", "String", "http://127.0.0.1:9/parts"))], []);
        var waits = Workflow("waits", [Event("e", "PartsArrived")], []);
        await using var host = new HostFactory(("parts-check.json", parts), ("waits.json", waits));
        await host.AddStaffAsync("liu", "liu-pass-2026", Roles.Manager);
        var api = host.Api();
        var faultedId = (await api.PostAsJsonAsync("/elsa/api/workflow-definitions/parts-check/execute", new { })).Headers.GetValues("x-elsa-workflow-instance-id").Single();
        var waitingId = (await api.PostAsJsonAsync("/elsa/api/workflow-definitions/waits/execute", new { })).Headers.GetValues("x-elsa-workflow-instance-id").Single();
        var manager = await host.SignedInAsync("liu", "liu-pass-2026");

        var faultedList = WebUtility.HtmlDecode(await manager.GetStringAsync("/designer/instances?state=faulted&lang=en"));
        Assert.Contains(faultedId, faultedList, StringComparison.Ordinal);
        Assert.DoesNotContain(waitingId, faultedList, StringComparison.Ordinal);
        var waitingList = WebUtility.HtmlDecode(await manager.GetStringAsync("/designer/instances?state=waiting&workflow=waits&lang=zh-CN"));
        Assert.Contains(waitingId, waitingList, StringComparison.Ordinal);
        Assert.Contains("等待中", waitingList, StringComparison.Ordinal);

        var waiting = WebUtility.HtmlDecode(await manager.GetStringAsync($"/designer/instances/{waitingId}?lang=en"));
        Assert.Contains("Waiting on", waiting, StringComparison.Ordinal);
        var zh = WebUtility.HtmlDecode(await manager.GetStringAsync($"/designer/instances/{faultedId}?lang=zh-CN"));
        Assert.Contains("出错（1 个事故）", zh, StringComparison.Ordinal);
        Assert.Contains("GET http://127.0.0.1:9/parts got no response", zh, StringComparison.Ordinal);

        var retry = await manager.PostAsync($"/designer/instances/{faultedId}/retry", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        var after = WebUtility.HtmlDecode(await manager.GetStringAsync($"/designer/instances/{faultedId}?lang=en"));
        Assert.Contains("Faulted (1 incident)", after, StringComparison.Ordinal);
        Assert.Contains("Retried (", after, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync("/designer/instances/no-such-run")).StatusCode);
        var fromRun = await manager.GetAsync($"/designer/workflows/instances/{faultedId}/view");
        Assert.Equal($"/designer/instances/{faultedId}", fromRun.Headers.Location?.OriginalString);
    }
}
