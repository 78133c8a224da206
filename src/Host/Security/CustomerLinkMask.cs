using System.Text.RegularExpressions;

namespace Followup.Host.Security;

/// <summary>
/// A customer's link acts as the customer: staff read messages with every link replaced by what it is for, never
/// the link itself. What happened to it (sent, opened, decided) is shown beside the approval instead.
/// </summary>
public static partial class CustomerLinkMask
{
    public static string Mask(string text, string language) => LinkRegex().Replace(text, m => (m.Groups["book"].Success, language == "en") switch
    {
        (true, true) => "[booking link]",
        (true, false) => "〔预约链接〕",
        (false, true) => "[approval link]",
        (false, false) => "〔确认链接〕",
    });

    [GeneratedRegex(@"https?://[^\s/]+(?:/[^\s/]+)*?/c/(?<book>book/)?[A-Za-z0-9_\-]+")]
    private static partial Regex LinkRegex();
}
