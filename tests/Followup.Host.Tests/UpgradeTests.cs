using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Followup.Host.Tests;

/// <summary>
/// A database made by the previous release (its demo store, stopped as a store would stop it: four visits at different
/// steps, an appointment tomorrow) opens with this release: every row is kept, the tables its engine made for the
/// dealership's records are taken over, and the workflows waiting in it run to their end on the state it saved.
/// </summary>
public sealed class UpgradeTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "previous-release.db");

    /// <summary>What each waiting step of a visit is answered with.</summary>
    private static (string Action, object Values) Answer(string activityId) => activityId switch
    {
        "reception" => ("Done", new { greeted = "true" }),
        "preInspection" => ("Done", new { odometer = "26000", fuel = "1/2", covers = "true", wash = "no", waiting = "wait", acknowledged = "true" }),
        "needs" => ("Done", new { concerns = "Noise from the front", services = "OIL", warranty = "NotCovered", signed = "true" }),
        "warrantyDecision" => ("NotCovered", new { }),
        "handover" => ("Done", new { technician = "technician", received = "true" }),
        "work" => ("WorkDone", new { }),
        "qualityCheck" => ("Passed", new { }),
        "wash" => ("Done", new { done = "true" }),
        "settlement" => ("Done", new { explained = "true", payment = "card" }),
        "delivery" => ("Done", new { walkaround = "true", informed = "true" }),
        _ => ("Done", new { }),
    };

    private static async Task<Dictionary<string, long>> CountsAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var counts = new Dictionary<string, long>();
        foreach (var table in new[] { "WorkflowDefinitions", "WorkflowInstances", "Bookmarks", "JournalBursts", "Outbox", "HumanTasks", "Approvals", "ContactConsents", "Customers", "Visits", "Estimates", "Invoices", "AspNetUsers" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            counts[table] = (long)(await command.ExecuteScalarAsync())!;
        }
        return counts;
    }

    [Fact]
    public async Task A_database_of_the_previous_release_keeps_every_row_and_its_waiting_workflows_run_to_the_end()
    {
        var before = await CountsAsync(Fixture);
        await using var desk = await ServiceDesk.OpenAsync(host =>
        {
            File.Copy(Fixture, Path.Combine(host.Folder, "followup.db"));
            host.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 5, 11, 31, 0, TimeSpan.Zero));
        });
        var manager = await desk.StaffAsync("liu");

        // Every row is there, and the engine's tables were not made again.
        var after = await CountsAsync(Path.Combine(desk.Host.Folder, "followup.db"));
        foreach (var (table, count) in before)
            Assert.True(after[table] >= count, $"{table}: {after[table]} rows, the file had {count}");
        Assert.Equal(before["Outbox"], after["Outbox"]);
        Assert.Equal(before["HumanTasks"], after["HumanTasks"]);

        // The four visits waiting in it go on from where they stood, on the workflow version they started on.
        foreach (var number in new[] { "RO-2026-000009", "RO-2026-000010", "RO-2026-000011", "RO-2026-000012" })
        {
            for (var step = 0; step < 30; step++)
            {
                var (instances, _) = await desk.Host.Queries.QueryInstancesAsync(new Followup.Workflows.Persistence.InstanceQuery { CorrelationId = number, DefinitionId = "service-visit" }, CancellationToken.None);
                var visit = Assert.Single(instances);
                if (visit.Status == "Finished")
                    break;
                Assert.Equal("Suspended", visit.SubStatus);
                var open = (await desk.Host.Tasks.ListByCorrelationAsync(number, CancellationToken.None)).FirstOrDefault(t => t.Status == "Open");
                if (open != null)
                {
                    var (action, values) = Answer(open.ActivityId);
                    var done = await manager.PostAsJsonAsync($"/api/tasks/{open.Id}/complete", new { action, values });
                    Assert.True(done.StatusCode == HttpStatusCode.NoContent, $"{number} {open.ActivityId}: {await done.Content.ReadAsStringAsync()}");
                    continue;
                }
                var pending = (await desk.Host.Approvals.ListByCorrelationAsync(number, CancellationToken.None)).Single(a => a.Status == "Pending");
                var lines = Followup.Activities.Approvals.ApprovalContent.Lines(pending.Content).Select(l => l.Id).ToArray();
                var decided = await desk.Api.PostAsJsonAsync($"/api/approvals/{pending.Id}/decision", new { approvedLines = lines, via = "in-person" });
                Assert.True(decided.StatusCode == HttpStatusCode.NoContent, $"{number} approval: {await decided.Content.ReadAsStringAsync()}");
            }
            var (finished, _) = await desk.Host.Queries.QueryInstancesAsync(new Followup.Workflows.Persistence.InstanceQuery { CorrelationId = number, DefinitionId = "service-visit" }, CancellationToken.None);
            Assert.True(finished.Single() is { Status: "Finished", SubStatus: "Finished", DefinitionVersion: 1 }, await desk.InstancesAsync(number));
            var record = await desk.Api.GetFromJsonAsync<JsonElement>($"/api/visits/{number}");
            Assert.Equal("Delivered", record.GetProperty("visit").GetProperty("status").GetString());
        }

        // The appointment of tomorrow: the customer arrives, and its workflow ends.
        var appointments = await desk.Api.GetFromJsonAsync<JsonElement>("/api/appointments?from=2026-12-05T00:00:00Z&to=2026-12-08T00:00:00Z");
        var appointment = appointments.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("status").GetString() == "Booked").GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Created, (await desk.Api.PostAsync($"/api/appointments/{appointment}/arrive", null)).StatusCode);
        var (waiting, _) = await desk.Host.Queries.QueryInstancesAsync(new Followup.Workflows.Persistence.InstanceQuery { DefinitionId = "appointment", CorrelationId = appointment }, CancellationToken.None);
        Assert.Equal("Finished", Assert.Single(waiting).Status);
    }
}
