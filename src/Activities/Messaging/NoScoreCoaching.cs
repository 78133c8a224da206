using System.Text.RegularExpressions;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Definitions;
using Followup.Workflows.Management;

namespace Followup.Activities.Messaging;

/// <summary>
/// A callback or survey asks neutral questions: a text that asks the customer for a particular score ("请给非常满意",
/// "answer 10", "请给好评") is refused when it is published, in any of the dealership's activities (a message, a survey,
/// a task's instructions to the agent who calls). A scale explained in brackets ("（5为非常满意）") is not a request.
/// </summary>
public sealed partial class NoScoreCoaching : IDefinitionRule
{
    public IEnumerable<string> Check(ActivityNode node)
    {
        if (!node.Type.StartsWith("Followup.", StringComparison.Ordinal))
            yield break;
        foreach (var (name, binding) in node.Bindings)
        {
            if (binding is Input<string> { Expression: { Type: Expression.Literal or Expression.Liquid } e } && e.Text is { } text && AsksForScore(text) is { } phrase)
                yield return $"activity '{node.DisplayName}': '{name}' asks the customer for a particular score (\"{phrase}\"). Callbacks and surveys ask neutral questions; remove the request.";
        }
    }

    /// <summary>The phrase in which the text asks for a particular score or a good review, or null.</summary>
    public static string? AsksForScore(string text)
    {
        var plain = Brackets().Replace(text.Normalize(System.Text.NormalizationForm.FormKC), " ");
        return Chinese().Match(plain) is { Success: true } zh ? zh.Value
            : English().Match(plain) is { Success: true } en ? en.Value
            : null;
    }

    [GeneratedRegex(@"[（(][^）)]*[）)]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"(请|麻烦|务必|一定|记得|希望|恳请)[^，,。！!？?；;\n]{0,8}(给|打|选|回复|评|点|勾)[^，,。！!？?；;\n]{0,4}(满分|非常满意|特别满意|十分满意|很满意|五星|5星|5分|五分|10分|十分|好评)|给(个)?(好评|满分|五星)")]
    private static partial Regex Chinese();

    [GeneratedRegex(@"\b(give|rate|answer|reply|score|choose|select|pick|mark|leave)\b\s+(us\s+|it\s+|with\s+)?(a\s+|an\s+)?(10|ten|5|five|perfect|all\s+5s|all\s+fives|top\s+marks|very\s+satisfied|extremely\s+satisfied|5\s+stars|five\s+stars|good\s+review|positive\s+review)\b", RegexOptions.IgnoreCase)]
    private static partial Regex English();
}
