using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Followup.Activities.Messaging;
using Followup.Host.Messaging;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Followup.Host.Tests;

/// <summary>A DMS told about visit status changes: signed posts through the outbox, from workflow steps and from staff changes, retried when it fails.</summary>
public sealed class WebhookTests : IDisposable
{
    private const string Secret = "dms-shared-secret-for-tests";
    private readonly WireMockServer _dms = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });

    public void Dispose() => _dms.Stop();

    private List<WireMock.Logging.ILogEntry> Posts => [.. _dms.LogEntries.Where(e => e.RequestMessage.Path == "/dms/visits")];

    [Fact]
    public async Task Status_changes_reach_the_dms_signed_once_each_and_a_failed_post_is_retried()
    {
        _dms.Given(Request.Create().WithPath("/dms/visits").UsingPost()).InScenario("dms").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503));
        _dms.Given(Request.Create().WithPath("/dms/visits").UsingPost()).InScenario("dms").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(204));
        await using var desk = await ServiceDesk.OpenAsync(host =>
        {
            host.Settings["Webhooks:Endpoints:0:Url"] = _dms.Url + "/dms/visits";
            host.Settings["Webhooks:Endpoints:0:Secret"] = Secret;
        });
        var (_, vehicleId) = await desk.CustomerAsync("Li Wei", "+86 138 0013 8000", null, "en", 11, 20000, "沪A00011");
        var (visitId, number) = await desk.WalkInAsync(vehicleId);
        await desk.CheckInAsync(number, "", "OIL");
        await desk.ApproveByLinkAsync(number, "your service estimate is ready");
        await desk.CompleteAsync("zhang", number, "handover", "Done", new { technician = "zhang", received = "true" });

        // The workflow's handover moved the visit into the workshop: the first post fails (503) and is retried.
        await Poll.UntilAsync(() => Task.FromResult(Posts.Count), c => c == 1, what: "the first post");
        desk.Host.Clock.Advance(TimeSpan.FromMinutes(1));
        await desk.Host.Services.GetRequiredService<OutboxJobs>().SweepAsync(CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(Posts.Count), c => c == 2, what: "the retry");

        // A staff change through the API goes out too.
        var moved = await desk.Api.PostAsJsonAsync($"/api/visits/{visitId}/status", new { status = "QualityCheck" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        await Poll.UntilAsync(() => Task.FromResult(Posts.Count), c => c == 3, what: "the staff change");

        var deliveries = Posts.Select(p => p.RequestMessage).ToList();
        foreach (var request in deliveries)
        {
            var timestamp = request.Headers!["X-Followup-Timestamp"].Single();
            Assert.Equal(VisitWebhooks.Signature(Secret, timestamp, request.Body!), request.Headers["X-Followup-Signature"].Single());
            Assert.NotEqual(VisitWebhooks.Signature("another-secret", timestamp, request.Body!), request.Headers["X-Followup-Signature"].Single());
            Assert.Equal("visit.status", request.Headers["X-Followup-Event"].Single());
        }
        var ids = deliveries.Select(r => r.Headers!["X-Followup-Delivery"].Single()).ToList();
        Assert.Equal(ids[0], ids[1]); // the retry is the same delivery
        Assert.NotEqual(ids[1], ids[2]);
        var bodies = deliveries.Select(r => JsonDocument.Parse(r.Body!).RootElement).ToList();
        Assert.Equal(["InWorkshop", "InWorkshop", "QualityCheck"], bodies.Select(b => b.GetProperty("status").GetString()!).ToArray());
        Assert.All(bodies, b => Assert.Equal(number, b.GetProperty("number").GetString()));
        Assert.Equal("zhang", bodies[0].GetProperty("technician").GetString());
    }
}
