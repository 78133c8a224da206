using Followup.Workflows.Configuration;
using PhoneNumbers;

namespace Followup.Activities.Messaging;

public sealed class MessagingOptions : ICheckedOptions
{
    public const string SectionName = "Messaging";

    /// <summary>The host's public address, as Twilio calls it (status callbacks, signature checks behind a proxy).</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>Region for numbers entered without a country code.</summary>
    public string DefaultRegion { get; set; } = "CN";

    /// <summary>The store's time zone (IANA): quiet hours, opening hours, and every time staff and customers read.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>A stored UTC time as the store's clock shows it.</summary>
    public DateTime StoreTime(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>A stored UTC time written for people, in the store's time zone.</summary>
    public string Show(DateTime utc, string format = "yyyy-MM-dd HH:mm") => StoreTime(utc).ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Non-urgent messages are held from this local time...</summary>
    public TimeOnly QuietHoursStart { get; set; } = new(21, 0);

    /// <summary>...until this local time.</summary>
    public TimeOnly QuietHoursEnd { get; set; } = new(8, 0);

    /// <summary>Backoff of transient failures, per attempt; the last value repeats. After <see cref="MaxAttempts"/> the message fails.</summary>
    public TimeSpan[] RetryDelays { get; set; } = [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)];

    public int MaxAttempts { get; set; } = 8;

    /// <summary>Address of the unsubscribe page for non-transactional email (List-Unsubscribe).</summary>
    public string UnsubscribeUrl { get; set; } = "http://localhost:5080/unsubscribe";

    public IEnumerable<string> Problems()
    {
        if (!CheckedOptions.IsHttpUrl(PublicBaseUrl))
            yield return $"{nameof(PublicBaseUrl)}: the address customers and providers reach the host at, e.g. https://service.example.com.";
        if (!PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(DefaultRegion ?? ""))
            yield return $"{nameof(DefaultRegion)}: a two-letter country code such as CN or US, not '{DefaultRegion}'.";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone ?? "", out _))
            yield return $"{nameof(TimeZone)}: an IANA time zone such as Asia/Shanghai or America/New_York, not '{TimeZone}'.";
        if (RetryDelays is not { Length: > 0 } || RetryDelays.Any(d => d <= TimeSpan.Zero))
            yield return $"{nameof(RetryDelays)}: one or more time spans above zero.";
        if (MaxAttempts is < 1 or > 100)
            yield return $"{nameof(MaxAttempts)}: between 1 and 100.";
        if (!CheckedOptions.IsHttpUrl(UnsubscribeUrl))
            yield return $"{nameof(UnsubscribeUrl)}: an http or https address.";
    }
}
