using System.Text.RegularExpressions;

namespace Followup.Activities.Messaging;

/// <summary>
/// A message text's placeholders (<c>{{ Name }}</c>) filled in one pass: what goes in (a customer's name) is never read
/// for placeholders itself. Unknown placeholders are left as written.
/// </summary>
public static partial class Placeholders
{
    public static string Fill(string template, IReadOnlyDictionary<string, string> values) =>
        PlaceholderRegex().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    public static bool Uses(string template, string name) => PlaceholderRegex().Matches(template).Any(m => m.Groups[1].Value == name);

    [GeneratedRegex(@"\{\{\s*([A-Za-z]+)\s*\}\}")]
    private static partial Regex PlaceholderRegex();
}
