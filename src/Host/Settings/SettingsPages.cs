using System.Globalization;
using Followup.Activities.Service;
using Followup.Host.Api;
using Followup.Host.Pages;
using Followup.Host.Pages.Settings;
using Followup.Host.Security;
using Followup.Host.Staff;

namespace Followup.Host.Settings;

/// <summary>The store's settings page (<c>/settings</c>, managers).</summary>
public static class SettingsPages
{
    public static WebApplication MapSettingsPages(this WebApplication app)
    {
        var managers = app.MapGroup("/settings").RequireStaff(Roles.Manager);
        managers.MapGet("/", (HttpContext context, StoreSettings settings) => StaffPages.Page<SettingsPage>(context, new { Form = settings.Current }));
        managers.MapPost("/", async (HttpContext context, StoreSettings settings, TimeProvider clock, CancellationToken ct) =>
        {
            var form = await context.Request.ReadFormAsync(ct);
            var week = StoreOptions.Weekdays.ToDictionary(d => d, d => form[$"closed.{d}"] == "true" ? "closed" : $"{form[$"opens.{d}"]}-{form[$"closes.{d}"]}");
            var input = new StoreSettingsForm(form["name"].ToString(), form["nameEn"], form["address"].ToString(), form["phone"].ToString(), form["timeZone"].ToString(), week,
                int.TryParse(form["slotCapacity"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var capacity) ? capacity : null,
                decimal.TryParse(form["labourRate"], NumberStyles.Number, CultureInfo.InvariantCulture, out var rate) ? rate : form["labourRate"].ToString().Trim().Length > 0 ? -1 : null,
                form["currency"].ToString());
            var errors = await settings.SaveAsync(input, CustomersApi.Actor(context), clock.GetUtcNow().UtcDateTime, StaffText.Language(context), ct);
            return errors.Count > 0
                ? StaffPages.Page<SettingsPage>(context, new { Form = input, Errors = errors }, StatusCodes.Status400BadRequest)
                : StaffPages.Page<SettingsPage>(context, new { Form = settings.Current, Saved = true });
        }).RequireForm();
        return app;
    }
}
