using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Followup.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Host.Tests;

/// <summary>The front desk's forms as a browser posts them: search, the appointment list's actions and their refusals.</summary>
public sealed class DeskPagesTests
{
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string action, Dictionary<string, string>? values = null)
    {
        var form = new Dictionary<string, string>(values ?? []) { ["__RequestVerificationToken"] = HostFactory.AntiforgeryToken(await client.GetStringAsync(page)) };
        return await client.PostAsync(action, new FormUrlEncodedContent(form));
    }

    private static async Task<Appointment> AppointmentAsync(ServiceDesk desk, string id)
    {
        await using var db = await desk.Host.Services.GetRequiredService<IDbContextFactory<DealershipDbContext>>().CreateDbContextAsync();
        return await db.Appointments.AsNoTracking().FirstAsync(a => a.Id == id);
    }

    [Fact]
    public async Task The_desk_finds_customers_and_works_its_appointments_refusing_what_cannot_be_done()
    {
        await using var desk = await ServiceDesk.OpenAsync();
        var (customerId, vehicleId) = await desk.CustomerAsync("Customer 61", "+86 139 2000 0061", null, "en", 61, 20000, "沪A-61061");
        await desk.CustomerAsync("Customer 62", "+86 139 2000 0062", null, "en", 62, 20000, "沪A62062");
        var advisor = await desk.StaffAsync("wang");

        // Found by name, phone (spaces ignored), plate (dash ignored) and VIN; nobody else.
        foreach (var q in new[] { "Customer 61", "139 2000 0061", "沪A61061", ServiceDesk.Vin(61)[9..] })
        {
            var found = await advisor.GetStringAsync($"/desk?lang=en&q={Uri.EscapeDataString(q)}");
            Assert.Contains($"/desk/customers/{customerId}", found);
            Assert.DoesNotContain("Customer 62", found);
        }

        // Tomorrow 09:00 in Shanghai (01:00 UTC).
        var booked = await advisor.PostAsJsonAsync("/api/appointments", new { customerId, vehicleId, slotAt = "2026-03-03T01:00:00Z" });
        var id = (await booked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var list = WebUtility.HtmlDecode(await advisor.GetStringAsync("/desk?lang=en"));
        Assert.Contains($"data-appointment=\"{id}\"", list);
        Assert.Contains("Tomorrow's appointments", list);

        // Not yet a no-show before the time; no cancel without a reason.
        var early = await PostAsync(advisor, "/desk", $"/desk/appointments/{id}/no-show?lang=en");
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Contains("only once their time has begun", await early.Content.ReadAsStringAsync());
        var noReason = await PostAsync(advisor, "/desk", $"/desk/appointments/{id}/cancel?lang=en", new() { ["reason"] = " " });
        Assert.Contains("Give the reason for the cancellation", await noReason.Content.ReadAsStringAsync());
        Assert.Equal(AppointmentStatus.Booked, (await AppointmentAsync(desk, id)).Status);

        // Moved to 10:00, then, ten minutes into it, marked as not come: the follow-up call opens at once.
        var moved = await PostAsync(advisor, "/desk", $"/desk/appointments/{id}/reschedule", new() { ["slot"] = "2026-03-03T02:00:00Z" });
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal(new DateTime(2026, 3, 3, 2, 0, 0), (await AppointmentAsync(desk, id)).SlotAt);
        await desk.AdvanceAsync(TimeSpan.FromHours(17).Add(TimeSpan.FromMinutes(10)));
        advisor = await desk.StaffAsync("wang");
        Assert.Contains("Did not come", await advisor.GetStringAsync("/desk?lang=en"));
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(advisor, "/desk", $"/desk/appointments/{id}/no-show")).StatusCode);
        Assert.Equal(AppointmentStatus.NoShow, (await Poll.UntilAsync(() => AppointmentAsync(desk, id), a => a.Status == AppointmentStatus.NoShow, what: "the no-show")).Status);
        await desk.TaskAsync("wang", id, "noShow");

        // The car's details and the maker's service interval are edited at the desk; a nonsense interval is refused.
        var refused = await PostAsync(advisor, $"/desk/customers/{customerId}", $"/desk/vehicles/{vehicleId}?lang=en", new() { ["plate"] = "沪A61061", ["model"] = "Lavida", ["year"] = "2022", ["intervalDays"] = "20" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("The service interval is between 30 and 1095 days.", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(advisor, $"/desk/customers/{customerId}", $"/desk/vehicles/{vehicleId}",
            new() { ["plate"] = "沪B61061", ["model"] = "Lavida Plus", ["year"] = "2022", ["intervalDays"] = "365", ["intervalKm"] = "10000" })).StatusCode);
        await using (var db = await desk.Host.Services.GetRequiredService<IDbContextFactory<DealershipDbContext>>().CreateDbContextAsync())
        {
            var car = await db.Vehicles.AsNoTracking().FirstAsync(v => v.Id == vehicleId);
            Assert.Equal(("沪B61061", "Lavida Plus", (int?)365, (int?)10000), (car.Plate, car.Model, car.ServiceIntervalDays, car.ServiceIntervalKm));
        }

        // A walk-in opens a visit and lands on its page.
        var walkIn = await PostAsync(advisor, $"/desk/customers/{customerId}", $"/desk/vehicles/{vehicleId}/visit");
        Assert.Equal(HttpStatusCode.Redirect, walkIn.StatusCode);
        Assert.StartsWith("/visits/RO-2026-", walkIn.Headers.Location!.OriginalString);
    }
}
