using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Host.Api.Views;
using Followup.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Followup.Host.Api;

/// <summary>
/// Customers and vehicles for staff and integrations (a DMS with an API key): phone numbers in E.164, VINs checked,
/// mileage history. Bad input is a ValidationProblem naming the field and writes nothing; every write is audited.
/// </summary>
public static class CustomersApi
{
    public sealed record CustomerInput(string? Name, string? Phone, string? Email, string? Language, bool? SmsConsent, bool? EmailConsent, bool? MarketingConsent = null);

    /// <summary>A vehicle to register; its own service interval (days, km) when the maker's schedule for it differs from the catalog's.</summary>
    public sealed record VehicleInput(string? CustomerId, string? Vin, string? Plate, string? Model, int? Year, int? Odometer, int? ServiceIntervalDays = null, int? ServiceIntervalKm = null);

    public sealed record MileageInput(int? Kilometres);

    public sealed record VisitInput(string? VehicleId, DateTimeOffset? PromisedAt, string? Advisor);

    public sealed record VisitStatusInput(string? Status, string? Technician, DateTimeOffset? PromisedAt);

    public static WebApplication MapCustomersApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("Customers and vehicles")
            .RequireStaffOrApiKey(Roles.Manager, Roles.Advisor);
        api.MapGet("/customers", async Task<Ok<ItemList<CustomerView>>> (IDbContextFactory<DealershipDbContext> factory, CancellationToken ct, string? search = null) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var query = db.Customers.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(search))
                query = query.Where(c => c.Name.Contains(search) || (c.Phone != null && c.Phone.Contains(search)));
            return TypedResults.Ok(new ItemList<CustomerView>((await query.OrderBy(c => c.Name).Take(100).ToListAsync(ct)).Select(CustomerView.From).ToList()));
        }).WithSummary("Find customers by name or phone.");
        api.MapGet("/customers/{id}", async Task<Results<Ok<CustomerView>, ProblemHttpResult>> (string id, IDbContextFactory<DealershipDbContext> factory, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            return await db.Customers.AsNoTracking().Include(c => c.Vehicles).ThenInclude(v => v.Mileage).FirstOrDefaultAsync(c => c.Id == id, ct) is { } customer
                ? TypedResults.Ok(CustomerView.From(customer))
                : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such customer");
        }).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("A customer with vehicles and mileage history.");
        api.MapPost("/customers", async Task<Results<Created<CustomerView>, ValidationProblem, IdempotentAnswer>> (CustomerInput input, HttpContext context, IDbContextFactory<DealershipDbContext> factory, IOptions<MessagingOptions> messaging, TimeProvider clock, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var (key, answer) = await Idempotency.BeginAsync(context, db, input, ct);
            if (answer != null)
                return answer;
            if (Validate(input, messaging.Value.DefaultRegion, out var phone) is { } problem)
                return problem;
            var now = clock.GetUtcNow().UtcDateTime;
            var customer = NewCustomer(input, phone, now);
            db.Customers.Add(customer);
            db.Audit.Add(Audit(context, "created", "Customer", customer.Id, input, now));
            var view = CustomerView.From(customer);
            var (created, replay) = await Idempotency.CreateAsync(context, factory, key, async () =>
            {
                key?.Record(db, StatusCodes.Status201Created, $"/api/customers/{customer.Id}", view, now);
                await db.SaveChangesAsync(ct);
                return view;
            }, ct);
            return replay is not null ? replay : TypedResults.Created($"/api/customers/{customer.Id}", created);
        }).WithSummary("Create a customer; the phone number is stored in E.164.");
        api.MapPost("/vehicles", async Task<Results<Created<VehicleView>, ValidationProblem, ProblemHttpResult, IdempotentAnswer>> (VehicleInput input, HttpContext context, IDbContextFactory<DealershipDbContext> factory, TimeProvider clock, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var (key, answer) = await Idempotency.BeginAsync(context, db, input, ct);
            if (answer != null)
                return answer;
            var errors = Check(input, "en", out var vin).ToDictionary(e => e.Key, e => new[] { e.Value });
            if (string.IsNullOrWhiteSpace(input.CustomerId) || !await db.Customers.AnyAsync(c => c.Id == input.CustomerId, ct))
                errors["customerId"] = ["No customer with this id."];
            if (errors.Count > 0)
                return TypedResults.ValidationProblem(errors);
            if (await db.Vehicles.AnyAsync(v => v.Vin == vin, ct))
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A vehicle with this VIN exists already");
            var now = clock.GetUtcNow().UtcDateTime;
            var vehicle = NewVehicle(input, vin, now);
            db.Vehicles.Add(vehicle);
            db.Audit.Add(Audit(context, "created", "Vehicle", vehicle.Id, input, now));
            var view = VehicleView.From(vehicle);
            var (created, replay) = await Idempotency.CreateAsync(context, factory, key, async () =>
            {
                key?.Record(db, StatusCodes.Status201Created, $"/api/vehicles/{vehicle.Id}", view, now);
                await db.SaveChangesAsync(ct);
                return view;
            }, ct);
            return replay is not null ? replay : TypedResults.Created($"/api/vehicles/{vehicle.Id}", created);
        }).ProducesProblem(StatusCodes.Status409Conflict).WithSummary("Register a customer's vehicle (VIN checked, optional first odometer reading).");
        api.MapPost("/vehicles/{id}/mileage", async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> (string id, MileageInput input, HttpContext context, IDbContextFactory<DealershipDbContext> factory, TimeProvider clock, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            if (!await db.Vehicles.AnyAsync(v => v.Id == id, ct))
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such vehicle");
            var last = await db.MileageReadings.Where(m => m.VehicleId == id).OrderByDescending(m => m.ReadAt).Select(m => (int?)m.Kilometres).FirstOrDefaultAsync(ct);
            if (input.Kilometres is not { } km || km < 0 || km < last)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["kilometres"] = [$"The reading must be a number of kilometres not below the last one ({last ?? 0})."] });
            var now = clock.GetUtcNow().UtcDateTime;
            db.MileageReadings.Add(new MileageReading { VehicleId = id, Kilometres = km, ReadAt = now, Source = "entry" });
            db.Audit.Add(Audit(context, "mileage", "Vehicle", id, input, now));
            await db.SaveChangesAsync(ct);
            return TypedResults.NoContent();
        }).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Record an odometer reading.");
        api.MapPost("/visits", async Task<Results<Created<VisitView>, ValidationProblem, IdempotentAnswer>> (VisitInput input, HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk desk, TimeProvider clock, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var (key, answer) = await Idempotency.BeginAsync(context, db, input, ct);
            if (answer != null)
                return answer;
            var vehicle = input.VehicleId is null ? null : await db.Vehicles.AsNoTracking().FirstOrDefaultAsync(v => v.Id == input.VehicleId, ct);
            var errors = new Dictionary<string, string[]>();
            if (vehicle is null)
                errors["vehicleId"] = ["No vehicle with this id."];
            if (input.PromisedAt is { } promised && promised.UtcDateTime <= clock.GetUtcNow().UtcDateTime)
                errors["promisedAt"] = ["The promised time must be in the future."];
            if (errors.Count > 0)
                return TypedResults.ValidationProblem(errors);
            var (visit, replay) = await Idempotency.CreateAsync(context, factory, key,
                () => desk.OpenAsync(db, vehicle!, input.Advisor ?? context.User.Identity?.Name, null, input.PromisedAt?.UtcDateTime, Actor(context), input, ct, key), ct);
            return replay is not null ? replay : TypedResults.Created($"/api/visits/{visit!.Id}", VisitView.From(visit));
        }).WithSummary("Open a visit (repair order) for a car that arrived: the number is assigned and the service-visit workflow starts.");
        api.MapPost("/visits/{id}/status", async Task<Results<Ok<VisitView>, ValidationProblem, ProblemHttpResult>> (string id, VisitStatusInput input, HttpContext context, IDbContextFactory<DealershipDbContext> factory, OutboxStore store,
            IOutboxQueue queue, IOptions<WebhookOptions> webhooks, IOptions<MessagingOptions> messaging, IOptions<Activities.Service.StoreOptions> shop, IOptions<SmsOptions> sms, TimeProvider clock, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await db.Visits.FirstOrDefaultAsync(v => v.Id == id, ct) is not { } visit)
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such visit");
            if (input.Status is not { } status || !VisitStatus.Order.Contains(status))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"The status is one of {string.Join(", ", VisitStatus.Order)}."] });
            if (!VisitStatus.CanMove(visit.Status, status))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"A visit cannot go from {visit.Status} to {status}."] });
            var now = clock.GetUtcNow().UtcDateTime;
            var promisedBefore = visit.PromisedAt;
            visit.Status = status;
            visit.Technician = input.Technician ?? visit.Technician;
            visit.PromisedAt = input.PromisedAt?.UtcDateTime ?? visit.PromisedAt;
            visit.UpdatedAt = now;
            if (status == VisitStatus.Delivered)
                visit.DeliveredAt = now;
            db.Audit.Add(Audit(context, $"status:{status}", "Visit", visit.Id, input, now));
            await db.SaveChangesAsync(ct);
            var rows = VisitWebhooks.Rows(webhooks.Value, visit, now).ToList();
            if (promisedBefore != null && visit.PromisedAt != promisedBefore && await db.Customers.AsNoTracking().FirstAsync(c => c.Id == visit.CustomerId, ct) is var customer
                && CustomerNotices.PromisedTimeChanged(shop.Value, sms.Value, customer, visit, await db.Vehicles.Where(v => v.Id == visit.VehicleId).Select(v => v.Plate ?? "").FirstAsync(ct), messaging.Value.Show(visit.PromisedAt!.Value), now) is { } notice)
                rows.Add(notice);
            await store.AddAsync(rows, ct);
            foreach (var row in rows)
                await queue.EnqueueAsync(row.Id, ct);
            return TypedResults.Ok(VisitView.From(visit));
        }).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Move a visit to its next status (reception → workshop → quality check → ready → delivered).");
        return app;
    }

    private static ValidationProblem? Validate(CustomerInput input, string region, out string? phone) =>
        Check(input, region, "en", out phone) is { Count: > 0 } errors ? TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value })) : null;

    /// <summary>A customer's details checked, each refusal under its field in the reader's language; the phone number in E.164.</summary>
    public static Dictionary<string, string> Check(CustomerInput input, string region, string lang, out string? phone)
    {
        var en = lang == "en";
        phone = null;
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 200)
            errors["name"] = en ? "The customer's name is required (at most 200 characters)." : "请填写客户姓名（最多 200 个字符）。";
        if (!string.IsNullOrWhiteSpace(input.Phone))
        {
            if (Phone.TryNormalize(input.Phone, region, out var e164))
                phone = e164;
            else
                errors["phone"] = en ? $"'{input.Phone}' is not a valid phone number." : $"“{input.Phone}”不是有效的电话号码。";
        }
        if (!string.IsNullOrWhiteSpace(input.Email) && !(MimeKit.MailboxAddress.TryParse(input.Email, out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal)))
            errors["email"] = en ? $"'{input.Email}' is not a valid email address." : $"“{input.Email}”不是有效的电子邮箱。";
        if (input.Language is not (null or "zh-CN" or "en"))
            errors["language"] = en ? "The language is zh-CN or en." : "语言须为中文或英文。";
        if (phone is null && string.IsNullOrWhiteSpace(input.Email) && !errors.ContainsKey("phone"))
            errors["phone"] = en ? "A phone number or an email address is needed to reach the customer." : "请至少填写电话或电子邮箱，以便联系客户。";
        return errors;
    }

    /// <summary>A vehicle's details checked as <see cref="Check(CustomerInput, string, string, out string?)"/> does; the VIN normalised.</summary>
    public static Dictionary<string, string> Check(VehicleInput input, string lang, out string vin)
    {
        var en = lang == "en";
        var errors = new Dictionary<string, string>();
        if (!Vin.TryNormalize(input.Vin, out vin, out var vinError))
            errors["vin"] = en ? vinError! : "车架号（VIN）须为 17 位字母和数字（不含 I、O、Q），且校验位正确。";
        if (input.Year is < 1950 or > 2100)
            errors["year"] = en ? "The model year is between 1950 and 2100." : "年款须在 1950 至 2100 之间。";
        if (input.Odometer is < 0)
            errors["odometer"] = en ? "The odometer reading cannot be negative." : "里程不能为负数。";
        if (input.ServiceIntervalDays is < 30 or > 1095)
            errors["serviceIntervalDays"] = en ? "The service interval is between 30 and 1095 days." : "保养间隔须在 30 至 1095 天之间。";
        if (input.ServiceIntervalKm is < 1000 or > 100000)
            errors["serviceIntervalKm"] = en ? "The service interval is between 1,000 and 100,000 km." : "保养间隔须在 1,000 至 100,000 公里之间。";
        return errors;
    }

    /// <summary>A new vehicle from checked details, with its first odometer reading when given.</summary>
    public static Vehicle NewVehicle(VehicleInput input, string vin, DateTime now)
    {
        var vehicle = new Vehicle { Id = Guid.CreateVersion7().ToString("N"), CustomerId = input.CustomerId!, Vin = vin, Plate = input.Plate?.Trim(), Model = input.Model?.Trim(), Year = input.Year,
            ServiceIntervalDays = input.ServiceIntervalDays, ServiceIntervalKm = input.ServiceIntervalKm, CreatedAt = now };
        if (input.Odometer is { } km)
            vehicle.Mileage.Add(new MileageReading { VehicleId = vehicle.Id, Kilometres = km, ReadAt = now, Source = "entry" });
        return vehicle;
    }

    /// <summary>A new customer from checked details; consent is what the customer said, never assumed.</summary>
    public static Customer NewCustomer(CustomerInput input, string? phone, DateTime now) => new()
    {
        Id = Guid.CreateVersion7().ToString("N"),
        Name = input.Name!.Trim(),
        Phone = phone,
        Email = string.IsNullOrWhiteSpace(input.Email) ? null : input.Email.Trim(),
        Language = input.Language == "en" ? "en" : "zh-CN",
        SmsConsent = input.SmsConsent ?? false,
        EmailConsent = input.EmailConsent ?? false,
        MarketingConsent = input.MarketingConsent ?? false,
        CreatedAt = now,
        UpdatedAt = now,
    };

    internal static string Actor(HttpContext context) => context.User.Identity?.Name ?? "unknown";

    internal static AuditEntry Audit(HttpContext context, string action, string type, string id, object changes, DateTime at) => AuditEntry.Of(Actor(context), action, type, id, at, changes);
}
