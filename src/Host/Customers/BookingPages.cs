using System.Globalization;
using System.Net;
using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Host.Api;
using Followup.Host.Security;
using Followup.Host.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Followup.Host.Customers;

/// <summary>
/// Self-service booking from the signed link in a service reminder (<c>/c/book/{token}</c>): the car, the free slots of
/// the next two weeks in the store's hours, a note; booking starts the appointment workflow and answers the reminder.
/// </summary>
public static class BookingPages
{
    public static WebApplication MapBookingPages(this WebApplication app)
    {
        var pages = app.MapGroup("/c/book").RequireRateLimiting(CustomerPages.RateLimitPolicy);
        pages.MapGet("/{token}", async (string token, HttpContext context, CustomerLinks links, IDbContextFactory<DealershipDbContext> factory, FrontDesk desk,
            IOptions<MessagingOptions> messaging, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await FindAsync(db, links, token, ct) is not { } found)
                return CustomerPages.Refusal(CustomerPages.BrowserLanguage(context), "invalid", StatusCodes.Status404NotFound);
            if (await UsedAsync(db, token, ct))
                return CustomerPages.Refusal(found.Customer.Language, "book.used", StatusCodes.Status410Gone);
            return Render(context, found.Customer, found.Vehicle, await FreeSlotsAsync(db, desk, ct), messaging.Value, null);
        });
        pages.MapPost("/{token}", async (string token, HttpContext context, CustomerLinks links, IDbContextFactory<DealershipDbContext> factory, FrontDesk desk, TimeProvider clock,
            IOptions<MessagingOptions> messaging, CancellationToken ct) =>
        {
            var form = await context.Request.ReadFormAsync(ct);
            await using var db = await factory.CreateDbContextAsync(ct);
            if (await FindAsync(db, links, token, ct) is not { } found)
                return CustomerPages.Refusal(CustomerPages.BrowserLanguage(context), "invalid", StatusCodes.Status404NotFound);
            var free = await FreeSlotsAsync(db, desk, ct);
            if (!DateTime.TryParse(form["slot"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var slot) || !free.Contains(slot))
                return Render(context, found.Customer, found.Vehicle, free, messaging.Value, "book.full", StatusCodes.Status400BadRequest);
            if (await UsedAsync(db, token, ct))
                return CustomerPages.Refusal(found.Customer.Language, "book.used", StatusCodes.Status410Gone);
            var request = form["request"].ToString();
            // The link is spent with the booking it makes, in the same transaction: a second post books nothing.
            db.UsedLinks.Add(new UsedLink { Hash = Hash(token), Purpose = "booking", RecordId = found.Vehicle.Id, UsedAt = clock.GetUtcNow().UtcDateTime });
            try
            {
                await desk.BookAsync(db, found.Vehicle, slot, request.Length > 500 ? request[..500] : request, "self-service", null, $"customer:{found.Customer.Id}", new { slot }, ct);
            }
            catch (DbUpdateException)
            {
                return CustomerPages.Refusal(found.Customer.Language, "book.used", StatusCodes.Status410Gone);
            }
            return CustomerPages.Refusal(found.Customer.Language, "book.done", StatusCodes.Status200OK);
        }).RequireForm();
        return app;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private static Task<bool> UsedAsync(DealershipDbContext db, string token, CancellationToken ct)
    {
        var hash = Hash(token);
        return db.UsedLinks.AnyAsync(u => u.Hash == hash, ct);
    }

    private static async Task<(Customer Customer, Vehicle Vehicle)?> FindAsync(DealershipDbContext db, CustomerLinks links, string token, CancellationToken ct)
    {
        if (links.ReadBooking(token) is not { } vehicleId || await db.Vehicles.AsNoTracking().FirstOrDefaultAsync(v => v.Id == vehicleId, ct) is not { } vehicle)
            return null;
        return (await db.Customers.AsNoTracking().FirstAsync(c => c.Id == vehicle.CustomerId, ct), vehicle);
    }

    /// <summary>The free hourly slots from tomorrow for two weeks in the store's hours.</summary>
    private static async Task<List<DateTime>> FreeSlotsAsync(DealershipDbContext db, FrontDesk desk, CancellationToken ct) =>
        (await desk.SlotsAsync(db, 1, 14, ct)).Where(s => !s.Full).Select(s => s.At).ToList();

    private static IResult Render(HttpContext context, Customer customer, Vehicle vehicle, List<DateTime> free, MessagingOptions messaging, string? error, int status = StatusCodes.Status200OK)
    {
        var lang = customer.Language;
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var days = free.GroupBy(s => messaging.StoreTime(s).Date).Select(day =>
            $"<fieldset><legend>{day.Key.ToString(lang == "en" ? "ddd d MMM" : "M月d日 ddd", CultureInfo.GetCultureInfo(lang))}</legend>" +
            string.Concat(day.Select(s => $"<label class=\"slot\"><input type=\"radio\" name=\"slot\" value=\"{s:yyyy-MM-ddTHH:mm:ssZ}\"> {messaging.Show(s, "HH:mm")}</label>")) +
            "</fieldset>");
        var body = $"""
            <main class="sheet">
              <h1>{CustomerPages.W(lang, "book")}</h1>
              <p>{E(customer.Name)} · {E(vehicle.Plate)} {E(vehicle.Model)}</p>
              {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{CustomerPages.W(lang, error)}</p>")}
              <form method="post">
                {AccountPages.AntiforgeryField(context)}
                <p>{CustomerPages.W(lang, "book.pick")}</p>
                {string.Concat(days)}
                <label class="field">{CustomerPages.W(lang, "book.request")}<input name="request" maxlength="500"></label>
                <button type="submit" class="primary">{CustomerPages.W(lang, "book.submit")}</button>
              </form>
            </main>
            """;
        return AccountPages.Html(CustomerPages.Layout(lang, CustomerPages.W(lang, "book"), body + CustomerPages.Style + SlotStyle), status);
    }

    private const string SlotStyle = """
        <style>fieldset { border: 0; padding: 0; margin: 0 0 .8rem; } legend { font-weight: 600; margin-bottom: .3rem; }
        .slot { display: inline-block; border: 1px solid #bbb; border-radius: 6px; padding: .5rem .7rem; margin: 0 .3rem .4rem 0; }</style>
        """;
}
