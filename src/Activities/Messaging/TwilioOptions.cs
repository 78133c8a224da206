namespace Followup.Activities.Messaging;

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
