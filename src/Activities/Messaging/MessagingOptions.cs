namespace Followup.Activities.Messaging;

public sealed class MessagingOptions
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
}

public sealed class TwilioOptions
{
    public const string SectionName = "Twilio";

    public string? AccountSid { get; set; }
    public string? AuthToken { get; set; }

    /// <summary>The sending number (E.164) or messaging service.</summary>
    public string? From { get; set; }

    /// <summary>Sends to another address than api.twilio.com (a local fake in tests and demos).</summary>
    public string? ApiBaseUrlOverride { get; set; }

    public bool Configured => !string.IsNullOrEmpty(AccountSid) && !string.IsNullOrEmpty(AuthToken) && !string.IsNullOrEmpty(From);
}

public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;

    /// <summary>None, StartTls, SslOnConnect or Auto.</summary>
    public string Security { get; set; } = "StartTls";

    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "Followup <service@example.com>";

    public bool Configured => !string.IsNullOrEmpty(Host);
}
