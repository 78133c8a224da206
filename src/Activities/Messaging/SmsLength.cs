namespace Followup.Activities.Messaging;

/// <summary>
/// How long a text message is on the network: texts of GSM-7 characters go 160 to a segment (153 each when there are
/// several, and the extension characters ^{}[]~|\€ count twice); any other character (Chinese) makes the whole text
/// UCS-2, 70 to a segment (67 each when there are several), counted in UTF-16 units. Chinese carriers count the same
/// way, signature included.
/// </summary>
public static class SmsLength
{
    private const string Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string Extension = "\f^{}\\[~]|€";

    public sealed record Measure(bool Unicode, int Units, int Segments);

    public static Measure Of(string text)
    {
        var septets = 0;
        foreach (var c in text)
        {
            if (Basic.Contains(c, StringComparison.Ordinal))
                septets++;
            else if (Extension.Contains(c, StringComparison.Ordinal))
                septets += 2;
            else
                return Count(true, text.Length, single: 70, part: 67);
        }
        return Count(false, septets, single: 160, part: 153);
    }

    private static Measure Count(bool unicode, int units, int single, int part) =>
        new(unicode, units, units == 0 ? 0 : units <= single ? 1 : (units + part - 1) / part);
}
