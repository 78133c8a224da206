using System.Globalization;
using System.Text.Json;
using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Activities.Service;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Followup.Host.Settings;

/// <summary>The store's settings a manager edits: what customers read (name and SMS signature, address, phone, currency) and what the desk books by (time zone, weekly hours, slot capacity, labour rate).</summary>
public sealed record StoreSettingsForm(string Name, string? NameEn, string Address, string Phone, string TimeZone, IReadOnlyDictionary<string, string> Week, int? SlotCapacity, decimal? LabourRate, string CurrencySymbol);

/// <summary>
/// Keeps the manager's settings in the database (<see cref="StoreSetting"/> <c>store</c>) over the configuration's, and
/// applies them to the options every message, page and step reads: loaded at start, applied at once when saved. A
/// refusal names the field in the reader's language and changes nothing. Another host reads them at its next start.
/// </summary>
public sealed class StoreSettings(IDbContextFactory<DealershipDbContext> factory, IOptions<StoreOptions> store, IOptions<MessagingOptions> messaging, IConfiguration configuration)
{
    public const string Key = "store";

    public StoreSettingsForm Current
    {
        get
        {
            var s = store.Value;
            return new(s.Name, s.NameEn, s.Address, s.Phone, messaging.Value.TimeZone,
                StoreOptions.Weekdays.ToDictionary(d => d, d => Text(s.HoursOn(Day(d)))), s.SlotCapacity ?? configuration.GetValue("Service:SlotCapacity", 3), s.LabourRate, s.CurrencySymbol);
        }
    }

    public static DayOfWeek Day(string weekday) => (DayOfWeek)((Array.IndexOf(StoreOptions.Weekdays, weekday) + 1) % 7);

    public static string Text((TimeOnly Opens, TimeOnly Closes)? hours) =>
        hours is { } h ? $"{h.Opens.ToString("HH:mm", CultureInfo.InvariantCulture)}-{h.Closes.ToString("HH:mm", CultureInfo.InvariantCulture)}" : "closed";

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await db.StoreSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == Key, cancellationToken) is { } row && JsonSerializer.Deserialize<StoreSettingsForm>(row.Value) is { } form)
            Apply(form);
    }

    public async Task<Dictionary<string, string>> SaveAsync(StoreSettingsForm form, string actor, DateTime now, string lang, CancellationToken cancellationToken)
    {
        var errors = Check(form, lang);
        if (errors.Count > 0)
            return errors;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var value = JsonSerializer.Serialize(form);
        if (await db.StoreSettings.FirstOrDefaultAsync(s => s.Key == Key, cancellationToken) is { } row)
            (row.Value, row.UpdatedBy, row.UpdatedAt) = (value, actor, now);
        else
            db.StoreSettings.Add(new StoreSetting { Key = Key, Value = value, UpdatedBy = actor, UpdatedAt = now });
        db.Audit.Add(AuditEntry.Of(actor, "saved", "StoreSettings", Key, now, form));
        await db.SaveChangesAsync(cancellationToken);
        Apply(form);
        return errors;
    }

    private void Apply(StoreSettingsForm form)
    {
        var s = store.Value;
        s.Name = form.Name.Trim();
        s.NameEn = string.IsNullOrWhiteSpace(form.NameEn) ? null : form.NameEn.Trim();
        s.Address = form.Address.Trim();
        s.Phone = form.Phone.Trim();
        s.Week = form.Week.ToDictionary(d => d.Key, d => d.Value);
        s.SlotCapacity = form.SlotCapacity;
        s.LabourRate = form.LabourRate;
        s.CurrencySymbol = form.CurrencySymbol.Trim();
        messaging.Value.TimeZone = form.TimeZone.Trim();
    }

    private static Dictionary<string, string> Check(StoreSettingsForm form, string lang)
    {
        var en = lang == "en";
        var errors = new Dictionary<string, string>();
        var name = form.Name?.Trim() ?? "";
        if (name.Length is 0 or > 20 || name.IndexOfAny(['【', '】', '[', ']']) >= 0)
            errors["name"] = en ? "The store's name is 1–20 characters without brackets; it signs every SMS as 【name】." : "店名为 1–20 个字符，不含括号；每条短信以【店名】署名。";
        if (form.NameEn is { Length: > 40 })
            errors["nameEn"] = en ? "At most 40 characters." : "最多 40 个字符。";
        if (form.Address is { Length: > 200 })
            errors["address"] = en ? "At most 200 characters." : "最多 200 个字符。";
        if (form.Phone is { Length: > 40 })
            errors["phone"] = en ? "At most 40 characters." : "最多 40 个字符。";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(form.TimeZone?.Trim() ?? "", out _))
            errors["timeZone"] = en ? "An IANA time zone such as Asia/Shanghai." : "请填写 IANA 时区，例如 Asia/Shanghai。";
        foreach (var (day, text) in form.Week)
        {
            if (!StoreOptions.ParseHours(text, out _))
                errors[$"week.{day}"] = en ? "Opening before closing, e.g. 08:30 to 18:00, or closed." : "开门时间须早于关门时间，例如 08:30 至 18:00，或选择休息。";
        }
        if (form.Week.Values.All(t => StoreOptions.ParseHours(t, out var h) && h is null))
            errors["week"] = en ? "The store is open on at least one day." : "每周至少营业一天。";
        if (form.SlotCapacity is not (>= 1 and <= 100))
            errors["slotCapacity"] = en ? "Bookings per hourly slot: 1–100." : "每个时段可预约 1–100 台。";
        if (form.LabourRate is < 0 or > 100000)
            errors["labourRate"] = en ? "The labour rate per hour: 0–100,000." : "工时单价须在 0–100,000 之间。";
        if (string.IsNullOrWhiteSpace(form.CurrencySymbol) || form.CurrencySymbol.Trim().Length > 5)
            errors["currency"] = en ? "The currency symbol, e.g. ¥ (at most 5 characters)." : "货币符号，例如 ¥（最多 5 个字符）。";
        return errors;
    }
}
