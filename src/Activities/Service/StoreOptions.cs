using System.Globalization;
using Followup.Workflows.Configuration;

namespace Followup.Activities.Service;

/// <summary>The store as customers know it: its name (the SMS signature), address, phone and opening hours.</summary>
public sealed class StoreOptions : ICheckedOptions
{
    public const string SectionName = "Store";

    /// <summary>The store's name in Chinese; every Chinese SMS is signed 【Name】, as carriers require.</summary>
    public string Name { get; set; } = "Followup";

    /// <summary>The store's name in English messages; the Chinese name when empty.</summary>
    public string? NameEn { get; set; }

    public string Address { get; set; } = "";

    public string Phone { get; set; } = "";

    /// <summary>Opening time, every day, in the store's time zone.</summary>
    public TimeOnly OpensAt { get; set; } = new(9, 0);

    /// <summary>Closing time, every day, in the store's time zone.</summary>
    public TimeOnly ClosesAt { get; set; } = new(17, 0);

    /// <summary>
    /// Opening hours by weekday (Mon … Sun) in the store's time zone, each "09:00-17:00" or "closed"; a day not listed
    /// keeps <see cref="OpensAt"/>–<see cref="ClosesAt"/>.
    /// </summary>
    public Dictionary<string, string> Week { get; set; } = [];

    /// <summary>Bookings one hourly slot takes; Service:SlotCapacity (3) when not set here.</summary>
    public int? SlotCapacity { get; set; }

    /// <summary>Labour rate per hour for diagnosis lines, when the step does not give one (<see cref="DefaultLabourRate"/> unless set).</summary>
    public decimal? LabourRate { get; set; }

    public const decimal DefaultLabourRate = 300;

    /// <summary>The symbol amounts are written with.</summary>
    public string CurrencySymbol { get; set; } = "¥";

    public static readonly string[] Weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    private static string Key(DayOfWeek day) => Weekdays[((int)day + 6) % 7];

    /// <summary>The hours the store is open on a day, or null when it is closed that day.</summary>
    public (TimeOnly Opens, TimeOnly Closes)? HoursOn(DayOfWeek day) =>
        Week.TryGetValue(Key(day), out var text) ? ParseHours(text, out var hours) ? hours : null : (OpensAt, ClosesAt);

    /// <summary>"09:00-17:00" as hours, "closed" (or empty) as none; false when it is neither.</summary>
    public static bool ParseHours(string? text, out (TimeOnly Opens, TimeOnly Closes)? hours)
    {
        hours = null;
        text = text?.Trim() ?? "";
        if (text.Length == 0 || text.Equals("closed", StringComparison.OrdinalIgnoreCase))
            return true;
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var opens)
            || !TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var closes) || opens >= closes)
            return false;
        hours = (opens, closes);
        return true;
    }

    public string NameIn(string language) => language == "en" && !string.IsNullOrWhiteSpace(NameEn) ? NameEn : Name;

    /// <summary>A text signed for an SMS: 【店名】 before a Chinese text, the store's name before an English one.</summary>
    public string Sign(string language, string text)
    {
        var name = NameIn(language).Trim();
        if (name.Length == 0)
            return text;
        return language == "en" ? $"{name}: {text}" : $"【{name}】{text}";
    }

    /// <summary>
    /// An SMS as it goes out: signed with the store's name, and a marketing message (a reminder, a survey) with the line
    /// that says how to opt out. A text already signed is not signed again.
    /// </summary>
    public string SmsText(string language, string text, bool marketing)
    {
        var en = language == "en";
        var name = NameIn(language).Trim();
        var signed = name.Length == 0 || text.StartsWith($"【{name}】", StringComparison.Ordinal) || text.StartsWith($"{name}: ", StringComparison.Ordinal) ? text : Sign(language, text);
        var optOut = en ? "Reply STOP to opt out." : "回复TD退订";
        return marketing && !signed.EndsWith(optOut, StringComparison.Ordinal) ? $"{signed}{(en ? " " : "")}{optOut}" : signed;
    }

    public string Money(decimal amount) => CurrencySymbol + amount.ToString("0.00", CultureInfo.InvariantCulture);

    public string Hours => $"{OpensAt:HH\\:mm}–{ClosesAt:HH\\:mm}";

    public bool IsOpen(DateTime storeTime)
    {
        var time = TimeOnly.FromDateTime(storeTime);
        return HoursOn(storeTime.DayOfWeek) is { } hours && time >= hours.Opens && time < hours.Closes;
    }

    /// <summary>When the store next opens after <paramref name="storeTime"/> (store time); the time itself when it is open.</summary>
    public DateTime OpenFrom(DateTime storeTime)
    {
        if (IsOpen(storeTime))
            return storeTime;
        var day = DateOnly.FromDateTime(storeTime);
        for (var i = 0; i < 8; i++, day = day.AddDays(1))
        {
            if (HoursOn(day.DayOfWeek) is { } hours && day.ToDateTime(hours.Opens) > storeTime)
                return day.ToDateTime(hours.Opens);
        }
        return storeTime;
    }

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 20 || Name.IndexOfAny(['【', '】', '[', ']']) >= 0)
            yield return $"{nameof(Name)}: the store's name as customers know it, 1–20 characters without brackets (it signs every SMS as 【{Name}】).";
        if (OpensAt >= ClosesAt)
            yield return $"{nameof(OpensAt)}: a time before {nameof(ClosesAt)} ({OpensAt:HH\\:mm} is not before {ClosesAt:HH\\:mm}).";
        foreach (var (day, text) in Week)
        {
            if (!Weekdays.Contains(day))
                yield return $"{nameof(Week)}: the days are {string.Join(", ", Weekdays)}, not '{day}'.";
            else if (!ParseHours(text, out _))
                yield return $"{nameof(Week)}:{day}: hours as 09:00-17:00 (opening before closing) or closed, not '{text}'.";
        }
        if (Enum.GetValues<DayOfWeek>().All(d => HoursOn(d) is null))
            yield return $"{nameof(Week)}: the store is open on at least one day.";
        if (SlotCapacity is < 1 or > 100)
            yield return $"{nameof(SlotCapacity)}: bookings per hourly slot, 1–100.";
        if (LabourRate is < 0 or > 100000)
            yield return $"{nameof(LabourRate)}: the labour rate per hour, 0–100,000.";
        if (string.IsNullOrWhiteSpace(CurrencySymbol))
            yield return $"{nameof(CurrencySymbol)}: the symbol amounts are written with, e.g. ¥ or $.";
    }
}
