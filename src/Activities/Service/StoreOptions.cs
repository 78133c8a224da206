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

    /// <summary>The symbol amounts are written with.</summary>
    public string CurrencySymbol { get; set; } = "¥";

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
        return time >= OpensAt && time < ClosesAt;
    }

    /// <summary>When the store next opens after <paramref name="storeTime"/> (store time); the time itself when it is open.</summary>
    public DateTime OpenFrom(DateTime storeTime)
    {
        if (IsOpen(storeTime))
            return storeTime;
        var day = DateOnly.FromDateTime(storeTime);
        if (TimeOnly.FromDateTime(storeTime) >= ClosesAt)
            day = day.AddDays(1);
        return day.ToDateTime(OpensAt);
    }

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 20 || Name.IndexOfAny(['【', '】', '[', ']']) >= 0)
            yield return $"{nameof(Name)}: the store's name as customers know it, 1–20 characters without brackets (it signs every SMS as 【{Name}】).";
        if (OpensAt >= ClosesAt)
            yield return $"{nameof(OpensAt)}: a time before {nameof(ClosesAt)} ({OpensAt:HH\\:mm} is not before {ClosesAt:HH\\:mm}).";
        if (string.IsNullOrWhiteSpace(CurrencySymbol))
            yield return $"{nameof(CurrencySymbol)}: the symbol amounts are written with, e.g. ¥ or $.";
    }
}
