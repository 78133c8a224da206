using System.Text.RegularExpressions;

namespace Followup.Host.Security;

/// <summary>
/// A customer's link acts as the customer: staff read messages with every link replaced by what it is for, never
/// the link itself. What happened to it (sent, opened, decided) is shown beside the approval instead.
/// </summary>
public static partial class CustomerLinkMask
{
    public static string Mask(string text, string language) => LinkRegex().Replace(text, m => (m.Groups["short"].Success, m.Groups["book"].Success, language == "en") switch
    {
        (true, _, true) => "[customer link]",
        (true, _, false) => "〔客户链接〕",
        (_, true, true) => "[booking link]",
        (_, true, false) => "〔预约链接〕",
        (_, false, true) => "[approval link]",
        (_, false, false) => "〔确认链接〕",
    });

    /// <summary>A signed link (/c/…, /c/book/…) or a short one standing for it (/s/…).</summary>
    [GeneratedRegex(@"https?://[^\s/]+(?:/[^\s/]+)*?/(?:c/(?<book>book/)?[A-Za-z0-9_\-]+|(?<short>s/[A-Za-z0-9]{8}))")]
    private static partial Regex LinkRegex();
}
