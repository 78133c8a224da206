using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Followup.Activities.Data;
using Followup.Host.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Host.Tests;

public sealed class CustomersApiTests
{
    private const string GoodVin = "1M8GDM9AXKP042788";

    [Theory]
    [InlineData("1M8GDM9AXKP04278", "vin")]
    [InlineData("1M8GDM9AOKP042788", "vin")]
    [InlineData("1M8GDM9A1KP042788", "vin")]
    public async Task A_bad_vin_is_refused_naming_the_field_and_nothing_is_written(string vin, string field)
    {
        await using var host = new HostFactory();
        var api = host.Api();
        var customer = await (await api.PostAsJsonAsync("/api/customers", new { name = "Li Wei", phone = "138 0013 8000" })).Content.ReadFromJsonAsync<JsonElement>();
        var response = await api.PostAsJsonAsync("/api/vehicles", new { customerId = customer.GetProperty("id").GetString(), vin, plate = "沪A12345" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<DealershipDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Vehicles.CountAsync());
        Assert.Equal(1, await db.Audit.CountAsync());
    }

    [Fact]
    public async Task Customers_and_vehicles_are_stored_validated_and_audited()
    {
        await using var host = new HostFactory();
        await host.AddStaffAsync("zhang", "technician-pass-123", Roles.Technician);
        var api = host.Api();

        var badPhone = await api.PostAsJsonAsync("/api/customers", new { name = "Li Wei", phone = "12345" });
        Assert.Equal(HttpStatusCode.BadRequest, badPhone.StatusCode);
        Assert.Contains("'12345' is not a valid phone number.", await badPhone.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var created = await api.PostAsJsonAsync("/api/customers", new { name = "Li Wei", phone = "138 0013 8000", language = "zh-CN" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var customer = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("+8613800138000", customer.GetProperty("phone").GetString());
        var id = customer.GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync("/api/vehicles", new { customerId = "nobody", vin = GoodVin })).StatusCode);
        var badInterval = await api.PostAsJsonAsync("/api/vehicles", new { customerId = id, vin = GoodVin, serviceIntervalDays = 5, serviceIntervalKm = 200 });
        Assert.Equal(HttpStatusCode.BadRequest, badInterval.StatusCode);
        Assert.Contains("The service interval is between 30 and 1095 days.", await badInterval.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var vehicle = await api.PostAsJsonAsync("/api/vehicles", new { customerId = id, vin = GoodVin.ToLowerInvariant(), plate = "沪A12345", model = "Golf", year = 2021, odometer = 48210, serviceIntervalDays = 365, serviceIntervalKm = 15000 });
        Assert.Equal(HttpStatusCode.Created, vehicle.StatusCode);
        var vehicleId = (await vehicle.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync("/api/vehicles", new { customerId = id, vin = GoodVin })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync($"/api/vehicles/{vehicleId}/mileage", new { kilometres = 40000 })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsJsonAsync($"/api/vehicles/{vehicleId}/mileage", new { kilometres = 49100 })).StatusCode);

        var full = await api.GetFromJsonAsync<JsonElement>($"/api/customers/{id}");
        var stored = full.GetProperty("vehicles")[0];
        Assert.Equal(GoodVin, stored.GetProperty("vin").GetString());
        Assert.Equal((365, 15000), (stored.GetProperty("serviceIntervalDays").GetInt32(), stored.GetProperty("serviceIntervalKm").GetInt32())); // the maker's schedule for this car
        Assert.Equal([48210, 49100], stored.GetProperty("mileage").EnumerateArray().Select(m => m.GetProperty("kilometres").GetInt32()).Order());

        await using var db = await host.Services.GetRequiredService<IDbContextFactory<DealershipDbContext>>().CreateDbContextAsync();
        var audit = await db.Audit.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["created", "created", "mileage"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal("api-key", a.Actor));

        var technician = await host.SignedInAsync("zhang", "technician-pass-123");
        Assert.Equal(HttpStatusCode.Forbidden, (await technician.GetAsync("/api/customers")).StatusCode);
    }

    [Fact]
    public async Task Visits_move_through_their_statuses_and_late_ones_are_flagged_on_the_board()
    {
        await using var host = new HostFactory();
        await host.AddStaffAsync("li", "advisor-pass-123", Roles.Advisor);
        var api = host.Api();
        var customer = await (await api.PostAsJsonAsync("/api/customers", new { name = "Li Wei", phone = "13800138000", smsConsent = true })).Content.ReadFromJsonAsync<JsonElement>();
        var car = await (await api.PostAsJsonAsync("/api/vehicles", new { customerId = customer.GetProperty("id").GetString(), vin = GoodVin, plate = "沪A12345", model = "Golf" })).Content.ReadFromJsonAsync<JsonElement>();
        var now = host.Clock.GetUtcNow();

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync("/api/visits", new { vehicleId = car.GetProperty("id").GetString(), promisedAt = now.AddHours(-1) })).StatusCode);
        var onTime = await (await api.PostAsJsonAsync("/api/visits", new { vehicleId = car.GetProperty("id").GetString(), promisedAt = now.AddHours(5), advisor = "li" })).Content.ReadFromJsonAsync<JsonElement>();
        var late = await (await api.PostAsJsonAsync("/api/visits", new { vehicleId = car.GetProperty("id").GetString(), promisedAt = now.AddHours(1), advisor = "li" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("RO-2026-000001", onTime.GetProperty("number").GetString());
        var lateId = late.GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync($"/api/visits/{lateId}/status", new { status = "Ready" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/visits/{lateId}/status", new { status = "InWorkshop", technician = "zhang" })).StatusCode);
        host.Clock.Advance(TimeSpan.FromHours(2));

        var board = await (await host.SignedInAsync("li", "advisor-pass-123")).GetStringAsync("/board?lang=en");
        var lateRow = Regex.Match(board, "<tr class=\"late\">.*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("In the workshop", lateRow, StringComparison.Ordinal);
        Assert.DoesNotContain("InWorkshop", board, StringComparison.Ordinal);
        Assert.Contains("RO-2026-000002", lateRow, StringComparison.Ordinal);
        Assert.Contains("LATE", lateRow, StringComparison.Ordinal);
        Assert.Contains("03-02 18:00", lateRow, StringComparison.Ordinal); // promised 10:00 UTC, shown in the store's time zone

        // A new promised time is told to the customer.
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/visits/{lateId}/status", new { status = "QualityCheck", promisedAt = now.AddHours(4) })).StatusCode);
        var notice = Assert.Single(await host.Outbox.ListAsync("RO-2026-000002", 10, CancellationToken.None));
        Assert.Equal(("+8613800138000", "【Followup】Li Wei您好，您的爱车沪A12345的预计完工时间调整为2026-03-02 21:00，给您带来不便，敬请谅解。"),
            (notice.Recipient, Followup.Activities.Messaging.MessagePayload.FromJson(notice.Payload).Text));
        Assert.Single(Regex.Matches(board, "<tr class=\"late\">"));
        Assert.Contains("RO-2026-000001", board, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_booking_names_its_fields_writes_nothing_and_a_good_one_is_audited()
    {
        await using var host = new HostFactory();
        var api = host.Api();
        var customer = await (await api.PostAsJsonAsync("/api/customers", new { name = "Li Wei", phone = "13800138000" })).Content.ReadFromJsonAsync<JsonElement>();
        var other = await (await api.PostAsJsonAsync("/api/customers", new { name = "Zhao Min", phone = "13900139000" })).Content.ReadFromJsonAsync<JsonElement>();
        var car = await (await api.PostAsJsonAsync("/api/vehicles", new { customerId = customer.GetProperty("id").GetString(), vin = GoodVin })).Content.ReadFromJsonAsync<JsonElement>();
        var vehicleId = car.GetProperty("id").GetString();

        var refused = await api.PostAsJsonAsync("/api/appointments", new { customerId = other.GetProperty("id").GetString(), vehicleId, slotAt = "2020-01-01T08:00:00Z", channel = "fax" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["channel", "customerId", "slotAt"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Empty((await api.GetFromJsonAsync<JsonElement>("/api/appointments?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z")).GetProperty("items").EnumerateArray());

        var booked = await api.PostAsJsonAsync("/api/appointments", new { vehicleId, slotAt = host.Clock.GetUtcNow().AddDays(2), channel = "dms" });
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        var id = (await booked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var audit = (await api.GetFromJsonAsync<JsonElement>($"/api/audit?entityType=Appointment&entityId={id}")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal("booked", audit.GetProperty("action").GetString());
        Assert.False(string.IsNullOrEmpty(audit.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task Visits_opened_at_the_same_moment_get_distinct_numbers()
    {
        await using var host = new HostFactory();
        var api = host.Api();
        var customer = await (await api.PostAsJsonAsync("/api/customers", new { name = "Li Wei", phone = "13800138000" })).Content.ReadFromJsonAsync<JsonElement>();
        var car = await (await api.PostAsJsonAsync("/api/vehicles", new { customerId = customer.GetProperty("id").GetString(), vin = GoodVin })).Content.ReadFromJsonAsync<JsonElement>();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => api.PostAsJsonAsync("/api/visits", new { vehicleId = car.GetProperty("id").GetString() })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var numbers = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString()));
        Assert.Equal(Enumerable.Range(1, 8).Select(n => $"RO-2026-{n:D6}").ToArray(), numbers.Order(StringComparer.Ordinal).ToArray());
    }
}
