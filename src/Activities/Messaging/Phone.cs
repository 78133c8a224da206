using PhoneNumbers;

namespace Followup.Activities.Messaging;

/// <summary>Phone numbers in E.164, validated with libphonenumber.</summary>
public static class Phone
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static bool TryNormalize(string? input, string defaultRegion, out string e164)
    {
        e164 = "";
        if (string.IsNullOrWhiteSpace(input))
            return false;
        try
        {
            var number = Util.Parse(input, defaultRegion);
            if (!Util.IsValidNumber(number))
                return false;
            e164 = Util.Format(number, PhoneNumberFormat.E164);
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    public static string Normalize(string? input, string defaultRegion) =>
        TryNormalize(input, defaultRegion, out var e164) ? e164 : throw new ArgumentException($"'{input}' is not a valid phone number.");
}
