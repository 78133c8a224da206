using System.Globalization;
using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Host.Api;
using Followup.Host.Pages;
using Followup.Host.Pages.Desk;
using Followup.Host.Security;
using Followup.Host.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Followup.Host.Desk;

/// <summary>An appointment as the desk lists it.</summary>
public sealed record DeskAppointment(Appointment Appointment, string CustomerName, string CustomerId, string? Phone, string? Plate, string? Model);

/// <summary>A customer found by the desk's search, with their cars.</summary>
public sealed record DeskCustomer(Customer Customer, IReadOnlyList<Vehicle> Vehicles);

/// <summary>
/// The front desk in the browser (advisors and managers): find a customer by phone, plate, VIN or name; create and edit
/// customers with the consent they give; register cars; book by phone within the slots' capacity (a manager may book
/// over it); today's and tomorrow's appointments with check-in, cancel and reschedule; open a walk-in visit. Every
/// write goes through the same <see cref="FrontDesk"/> and checks as the API.
/// </summary>
public static class DeskPages
{
    public static WebApplication MapDeskPages(this WebApplication app)
    {
        var desk = app.MapGroup("/desk").RequireStaff(Roles.Manager, Roles.Advisor);
        desk.MapGet("/", (HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk frontDesk, IOptions<MessagingOptions> messaging, TimeProvider clock, string? q, CancellationToken ct) =>
            HomeAsync(context, factory, frontDesk, messaging.Value, clock, q, null, null, StatusCodes.Status200OK, ct));

        desk.MapPost("/appointments/{id}/{action}", async (string id, string action, HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk frontDesk,
            IOptions<MessagingOptions> messaging, TimeProvider clock, CancellationToken ct) =>
        {
            var en = StaffText.Language(context) == "en";
            var form = await context.Request.ReadFormAsync(ct);
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await db.Appointments.FirstOrDefaultAsync(a => a.Id == id, ct) is not { } appointment)
                return Results.NotFound();
            var actor = CustomersApi.Actor(context);
            string? error = null;
            switch (action)
            {
                case "arrive":
                    if (await frontDesk.ArriveAsync(db, appointment, actor, ct) is { } visit)
                        return Results.LocalRedirect($"/visits/{Uri.EscapeDataString(visit.Number)}");
                    error = en ? "This appointment cannot be checked in any more." : "此预约已不能办理到店。";
                    break;
                case "no-show":
                    if (!await frontDesk.NoShowAsync(appointment, ct))
                        error = en ? "A customer is marked as not coming only once their time has begun." : "预约时间开始后才能标记为未到店。";
                    break;
                case "cancel":
                    var reason = form["reason"].ToString().Trim();
                    if (reason.Length is 0 or > 500)
                        error = en ? "Give the reason for the cancellation (at most 500 characters)." : "请填写取消原因（最多 500 个字符）。";
                    else if (appointment.Status != AppointmentStatus.Booked)
                        error = en ? "Only a booked appointment can be cancelled." : "只有已预约的预约可以取消。";
                    else
                        await frontDesk.CancelAndTellAsync(db, appointment, actor, reason, ct);
                    break;
                case "reschedule":
                    if (appointment.Status != AppointmentStatus.Booked)
                        error = en ? "Only a booked appointment can be moved." : "只有已预约的预约可以改期。";
                    else if ((error = await SlotErrorAsync(context, db, frontDesk, form, appointment.Id, ct)) is null && ParseSlot(form) is { } slot && slot != appointment.SlotAt)
                        await frontDesk.RescheduleAsync(db, appointment, slot, actor, ct);
                    break;
                default:
                    return Results.NotFound();
            }
            if (error != null)
                return await HomeAsync(context, factory, frontDesk, messaging.Value, clock, null, new() { [$"{action}:{id}"] = error }, null, StatusCodes.Status400BadRequest, ct);
            return Results.LocalRedirect("/desk");
        }).RequireForm();

        desk.MapGet("/customers/new", (HttpContext context) => StaffPages.Page<CustomerPage>(context, new { Input = new CustomersApi.CustomerInput(null, null, null, null, null, null) }));
        desk.MapPost("/customers", async (HttpContext context, IDbContextFactory<DealershipDbContext> factory, IOptions<MessagingOptions> messaging, TimeProvider clock, CancellationToken ct) =>
        {
            var lang = StaffText.Language(context);
            var form = await context.Request.ReadFormAsync(ct);
            var input = CustomerInput(form);
            var errors = CustomersApi.Check(input, messaging.Value.DefaultRegion, lang, out var phone);
            ConsentErrors(input, lang, errors);
            if (errors.Count > 0)
                return StaffPages.Page<CustomerPage>(context, new { Input = input, Errors = errors }, StatusCodes.Status400BadRequest);
            await using var db = await factory.CreateDbContextAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var customer = CustomersApi.NewCustomer(input, phone, now);
            db.Customers.Add(customer);
            db.Audit.Add(CustomersApi.Audit(context, "created", "Customer", customer.Id, input, now));
            await db.SaveChangesAsync(ct);
            return Results.LocalRedirect($"/desk/customers/{customer.Id}");
        }).RequireForm();

        desk.MapGet("/customers/{id}", (string id, HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk frontDesk, ConsentStore consent, CancellationToken ct) =>
            CustomerAsync(id, context, factory, frontDesk, consent, null, null, null, StatusCodes.Status200OK, ct));
        desk.MapPost("/customers/{id}", async (string id, HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk frontDesk, ConsentStore consent,
            IOptions<MessagingOptions> messaging, TimeProvider clock, CancellationToken ct) =>
        {
            var lang = StaffText.Language(context);
            var form = await context.Request.ReadFormAsync(ct);
            var input = CustomerInput(form);
            var errors = CustomersApi.Check(input, messaging.Value.DefaultRegion, lang, out var phone);
            ConsentErrors(input, lang, errors);
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await db.Customers.FirstOrDefaultAsync(c => c.Id == id, ct) is not { } customer)
                return Results.NotFound();
            if (errors.Count > 0)
                return await CustomerAsync(id, context, factory, frontDesk, consent, input, errors, null, StatusCodes.Status400BadRequest, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            customer.Name = input.Name!.Trim();
            customer.Phone = phone;
            customer.Email = string.IsNullOrWhiteSpace(input.Email) ? null : input.Email.Trim();
            customer.Language = input.Language == "en" ? "en" : "zh-CN";
            customer.SmsConsent = input.SmsConsent!.Value;
            customer.EmailConsent = input.EmailConsent!.Value;
            customer.MarketingConsent = input.MarketingConsent!.Value;
            customer.UpdatedAt = now;
            db.Audit.Add(CustomersApi.Audit(context, "updated", "Customer", customer.Id, input, now));
            await db.SaveChangesAsync(ct);
            return await CustomerAsync(id, context, factory, frontDesk, consent, null, null, lang == "en" ? "Saved." : "已保存。", StatusCodes.Status200OK, ct);
        }).RequireForm();

        desk.MapPost("/customers/{id}/vehicles", async (string id, HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk frontDesk, ConsentStore consent, TimeProvider clock, CancellationToken ct) =>
        {
            var lang = StaffText.Language(context);
            var form = await context.Request.ReadFormAsync(ct);
            var input = new CustomersApi.VehicleInput(id, form["vin"], form["plate"], form["model"], Int(form["year"]), Int(form["odometer"]));
            var errors = CustomersApi.Check(input, lang, out var vin);
            foreach (var name in new[] { "year", "odometer" }.Where(n => form[n].ToString().Trim().Length > 0 && Int(form[n]) is null))
                errors[name] = lang == "en" ? "Enter a whole number." : "请填写整数。";
            await using var db = await factory.CreateDbContextAsync(ct);
            if (!await db.Customers.AnyAsync(c => c.Id == id, ct))
                return Results.NotFound();
            if (errors.Count == 0 && await db.Vehicles.AnyAsync(v => v.Vin == vin, ct))
                errors["vin"] = lang == "en" ? "A vehicle with this VIN exists already." : "此车架号的车辆已登记。";
            if (errors.Count > 0)
                return await CustomerAsync(id, context, factory, frontDesk, consent, null, errors.ToDictionary(e => $"vehicle.{e.Key}", e => e.Value), null, StatusCodes.Status400BadRequest, ct, vehicle: input);
            var now = clock.GetUtcNow().UtcDateTime;
            var vehicle = CustomersApi.NewVehicle(input, vin, now);
            db.Vehicles.Add(vehicle);
            db.Audit.Add(CustomersApi.Audit(context, "created", "Vehicle", vehicle.Id, input, now));
            await db.SaveChangesAsync(ct);
            return Results.LocalRedirect($"/desk/customers/{id}");
        }).RequireForm();

        desk.MapPost("/vehicles/{id}/book", async (string id, HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk frontDesk, ConsentStore consent, CancellationToken ct) =>
        {
            var lang = StaffText.Language(context);
            var form = await context.Request.ReadFormAsync(ct);
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await db.Vehicles.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct) is not { } vehicle)
                return Results.NotFound();
            var request = form["request"].ToString().Trim();
            var error = await SlotErrorAsync(context, db, frontDesk, form, null, ct)
                ?? (request.Length > 500 ? (lang == "en" ? "The request is at most 500 characters." : "需求最多 500 个字符。") : null);
            if (error != null)
                return await CustomerAsync(vehicle.CustomerId, context, factory, frontDesk, consent, null, new() { [$"book:{id}"] = error }, null, StatusCodes.Status400BadRequest, ct);
            var slot = ParseSlot(form)!.Value;
            await frontDesk.BookAsync(db, vehicle, slot, request, "staff", CustomersApi.Actor(context), CustomersApi.Actor(context), new { slot, over = form["override"] == "true" }, ct);
            return Results.LocalRedirect("/desk");
        }).RequireForm();

        desk.MapPost("/vehicles/{id}", async (string id, HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk frontDesk, ConsentStore consent, TimeProvider clock, CancellationToken ct) =>
        {
            var lang = StaffText.Language(context);
            var form = await context.Request.ReadFormAsync(ct);
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await db.Vehicles.FirstOrDefaultAsync(v => v.Id == id, ct) is not { } vehicle)
                return Results.NotFound();
            var input = new CustomersApi.VehicleInput(vehicle.CustomerId, vehicle.Vin, form["plate"], form["model"], Int(form["year"]), null, Int(form["intervalDays"]), Int(form["intervalKm"]));
            var errors = CustomersApi.Check(input, lang, out _);
            foreach (var (field, name) in new[] { ("year", "year"), ("intervalDays", "serviceIntervalDays"), ("intervalKm", "serviceIntervalKm") }.Where(f => form[f.Item1].ToString().Trim().Length > 0 && Int(form[f.Item1]) is null))
                errors[name] = lang == "en" ? "Enter a whole number." : "请填写整数。";
            if (errors.Count > 0)
                return await CustomerAsync(vehicle.CustomerId, context, factory, frontDesk, consent, null, errors.ToDictionary(e => $"car:{id}.{e.Key}", e => e.Value), null, StatusCodes.Status400BadRequest, ct);
            (vehicle.Plate, vehicle.Model, vehicle.Year) = (input.Plate?.Trim(), input.Model?.Trim(), input.Year);
            (vehicle.ServiceIntervalDays, vehicle.ServiceIntervalKm) = (input.ServiceIntervalDays, input.ServiceIntervalKm);
            db.Audit.Add(CustomersApi.Audit(context, "updated", "Vehicle", vehicle.Id, input, clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(ct);
            return Results.LocalRedirect($"/desk/customers/{vehicle.CustomerId}");
        }).RequireForm();

        desk.MapPost("/vehicles/{id}/visit", async (string id, HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk frontDesk, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await db.Vehicles.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct) is not { } vehicle)
                return Results.NotFound();
            var actor = CustomersApi.Actor(context);
            var visit = await frontDesk.OpenAsync(db, vehicle, actor, null, null, actor, new { walkIn = true }, ct);
            return Results.LocalRedirect($"/visits/{Uri.EscapeDataString(visit.Number)}");
        }).RequireForm();
        return app;
    }

    private static int? Int(string? value) => int.TryParse(value?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static bool? YesNo(string? value) => value switch { "yes" => true, "no" => false, _ => null };

    private static CustomersApi.CustomerInput CustomerInput(IFormCollection form) =>
        new(form["name"], form["phone"], form["email"], form["language"].ToString() is "en" ? "en" : "zh-CN", YesNo(form["sms"]), YesNo(form["emailConsent"]), YesNo(form["marketing"]));

    /// <summary>Consent is what the customer answered: each question must be asked, none is assumed.</summary>
    private static void ConsentErrors(CustomersApi.CustomerInput input, string lang, Dictionary<string, string> errors)
    {
        var ask = lang == "en" ? "Ask the customer and choose yes or no." : "请询问客户并选择“同意”或“不同意”。";
        if (input.SmsConsent is null)
            errors["sms"] = ask;
        if (input.EmailConsent is null)
            errors["emailConsent"] = ask;
        if (input.MarketingConsent is null)
            errors["marketing"] = ask;
    }

    internal static DateTime? ParseSlot(IFormCollection form) =>
        DateTime.TryParse(form["slot"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var slot) ? slot : null;

    /// <summary>Why the chosen slot cannot be booked: none chosen, past, or full (a manager may override).</summary>
    private static async Task<string?> SlotErrorAsync(HttpContext context, DealershipDbContext db, FrontDesk frontDesk, IFormCollection form, string? except, CancellationToken ct)
    {
        var en = StaffText.Language(context) == "en";
        if (ParseSlot(form) is not { } slot || slot <= context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime)
            return en ? "Choose a time to come in." : "请选择到店时间。";
        var state = await frontDesk.SlotAsync(db, slot, except, ct);
        if (state.Takes(context.User.IsInRole(Roles.Manager), form["override"] == "true"))
            return null;
        return context.User.IsInRole(Roles.Manager)
            ? en ? $"That time is full ({state.Taken} of {state.Capacity}). Tick \"book over capacity\" to book it anyway." : $"该时段已约满（{state.Taken}/{state.Capacity}）。如仍要预约，请勾选“超额预约”。"
            : en ? $"That time is full ({state.Taken} of {state.Capacity}); choose another or ask a manager." : $"该时段已约满（{state.Taken}/{state.Capacity}），请选择其他时间或请经理安排。";
    }

    private static async Task<IResult> HomeAsync(HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk frontDesk, MessagingOptions messaging, TimeProvider clock,
        string? q, Dictionary<string, string>? errors, string? notice, int status, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var today = messaging.StoreTime(clock.GetUtcNow().UtcDateTime).Date;
        var start = TimeZoneInfo.ConvertTimeToUtc(today, messaging.Zone);
        var end = TimeZoneInfo.ConvertTimeToUtc(today.AddDays(2), messaging.Zone);
        var appointments = await (from a in db.Appointments.AsNoTracking()
                                  where a.SlotAt >= start && a.SlotAt < end
                                  join c in db.Customers.AsNoTracking() on a.CustomerId equals c.Id
                                  join v in db.Vehicles.AsNoTracking() on a.VehicleId equals v.Id
                                  orderby a.SlotAt
                                  select new DeskAppointment(a, c.Name, c.Id, c.Phone, v.Plate, v.Model)).ToListAsync(ct);
        var found = string.IsNullOrWhiteSpace(q) ? null : await SearchAsync(db, q.Trim(), ct);
        return StaffPages.Page<DeskPage>(context, new
        {
            Query = q,
            Found = found,
            Appointments = appointments,
            Tomorrow = TimeZoneInfo.ConvertTimeToUtc(today.AddDays(1), messaging.Zone),
            Now = clock.GetUtcNow().UtcDateTime,
            Slots = await frontDesk.SlotsAsync(db, 0, 14, ct),
            Errors = errors,
            Notice = notice,
        }, status);
    }

    /// <summary>Customers whose name, phone, or car's plate or VIN contains what was typed (spaces and dashes in a phone or plate ignored).</summary>
    public static async Task<List<DeskCustomer>> SearchAsync(DealershipDbContext db, string q, CancellationToken ct)
    {
        var digits = new string(q.Where(char.IsAsciiDigit).ToArray());
        var compact = new string(q.Where(c => !char.IsWhiteSpace(c) && c != '-' && c != '·').ToArray()).ToUpperInvariant();
        var byCar = db.Vehicles.Where(v => (v.Plate != null && v.Plate.ToUpper().Replace(" ", "").Replace("-", "").Replace("·", "").Contains(compact)) || v.Vin.Contains(compact)).Select(v => v.CustomerId);
        var customers = await db.Customers.AsNoTracking()
            .Where(c => c.Name.Contains(q) || (digits.Length >= 4 && c.Phone != null && c.Phone.Contains(digits)) || (compact.Length >= 2 && byCar.Contains(c.Id)))
            .OrderBy(c => c.Name).Take(50).ToListAsync(ct);
        var ids = customers.Select(c => c.Id).ToList();
        var vehicles = (await db.Vehicles.AsNoTracking().Where(v => ids.Contains(v.CustomerId)).ToListAsync(ct)).ToLookup(v => v.CustomerId);
        return customers.Select(c => new DeskCustomer(c, [.. vehicles[c.Id]])).ToList();
    }

    private static async Task<IResult> CustomerAsync(string id, HttpContext context, IDbContextFactory<DealershipDbContext> factory, FrontDesk frontDesk, ConsentStore consent,
        CustomersApi.CustomerInput? input, Dictionary<string, string>? errors, string? notice, int status, CancellationToken ct, CustomersApi.VehicleInput? vehicle = null)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is not { } customer)
            return Results.NotFound();
        var vehicles = await db.Vehicles.AsNoTracking().Include(v => v.Mileage).Where(v => v.CustomerId == id).OrderBy(v => v.CreatedAt).ToListAsync(ct);
        var vehicleIds = vehicles.Select(v => v.Id).ToList();
        var visits = await db.Visits.AsNoTracking().Where(v => vehicleIds.Contains(v.VehicleId)).OrderByDescending(v => v.CreatedAt).Take(20).ToListAsync(ct);
        var appointments = await db.Appointments.AsNoTracking().Where(a => a.CustomerId == id && a.Status == AppointmentStatus.Booked).OrderBy(a => a.SlotAt).ToListAsync(ct);
        var optedOut = customer.Phone is { } phone && await consent.IsOptedOutAsync(Channels.Sms, phone, ct);
        return StaffPages.Page<CustomerPage>(context, new
        {
            Customer = customer,
            Input = input ?? new CustomersApi.CustomerInput(customer.Name, customer.Phone, customer.Email, customer.Language, customer.SmsConsent, customer.EmailConsent, customer.MarketingConsent),
            Vehicles = vehicles,
            Visits = visits,
            Booked = appointments,
            OptedOut = optedOut,
            Slots = await frontDesk.SlotsAsync(db, 0, 14, ct),
            NewVehicle = vehicle,
            Errors = errors,
            Notice = notice,
        }, status);
    }
}
