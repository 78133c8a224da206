using Followup.Workflows.Configuration;

namespace Followup.Activities.Messaging;

public sealed class TwilioOptions : ICheckedOptions
{
    public const string SectionName = "Twilio";

    public string? AccountSid { get; set; }
    public string? AuthToken { get; set; }

    /// <summary>The sending number (E.164) or messaging service.</summary>
    public string? From { get; set; }

    /// <summary>Sends to another address than api.twilio.com (a local fake in tests and demos).</summary>
    public string? ApiBaseUrlOverride { get; set; }

    public bool Configured => !string.IsNullOrEmpty(AccountSid) && !string.IsNullOrEmpty(AuthToken) && !string.IsNullOrEmpty(From);

    private static bool IsE164(string number) => number.Length is >= 8 and <= 16 && number[0] == '+' && number[1] is >= '1' and <= '9' && number.Skip(1).All(char.IsAsciiDigit);

    public IEnumerable<string> Problems()
    {
        var given = new[] { (nameof(AccountSid), AccountSid), (nameof(AuthToken), AuthToken), (nameof(From), From) };
        if (given.Any(g => !string.IsNullOrEmpty(g.Item2)) && given.Where(g => string.IsNullOrEmpty(g.Item2)).Select(g => g.Item1).ToList() is { Count: > 0 } missing)
            yield return $"{string.Join(", ", missing)}: needed too when any Twilio setting is given (all three or none; none keeps SMS in the local outbox).";
        if (!string.IsNullOrEmpty(AccountSid) && !AccountSid.StartsWith("AC", StringComparison.Ordinal))
            yield return $"{nameof(AccountSid)}: the account SID, which starts with AC.";
        if (!string.IsNullOrEmpty(From) && !From.StartsWith("MG", StringComparison.Ordinal) && !IsE164(From))
            yield return $"{nameof(From)}: the sending number in E.164 (+15550100) or a messaging service SID (MG…).";
        if (!string.IsNullOrEmpty(ApiBaseUrlOverride) && !CheckedOptions.IsHttpUrl(ApiBaseUrlOverride))
            yield return $"{nameof(ApiBaseUrlOverride)}: an http or https address.";
    }
}
