using System.Globalization;
using System.Text;

namespace Followup.Activities.Messaging;

/// <summary>What a customer's SMS reply asks for, read the way people write it: full-width letters, trailing punctuation, "请退订".</summary>
public enum ReplyIntent
{
    None,

    /// <summary>STOP and the like: no more texts of any kind to this number (carriers require it).</summary>
    OptOut,

    /// <summary>"TD" / "退订", the reply a marketing text offers: no more reminders or surveys; service messages go on.</summary>
    OptOutMarketing,
    OptIn,
    Help,

    /// <summary>"取消" / "CANCEL": about the appointment the customer was told of, never an opt-out of all messages.</summary>
    Cancel,
}

public static class ReplyKeywords
{
    private static readonly HashSet<string> OptOut = new(StringComparer.Ordinal) { "STOP", "STOPALL", "UNSUBSCRIBE", "END", "QUIT", "N", "不要再发", "别再发了" };
    private static readonly HashSet<string> OptOutMarketing = new(StringComparer.Ordinal) { "TD", "T", "退订", "退订短信", "取消订阅", "请退订", "我要退订" };
    private static readonly HashSet<string> OptIn = new(StringComparer.Ordinal) { "START", "UNSTOP", "订阅", "恢复订阅" };
    private static readonly HashSet<string> Help = new(StringComparer.Ordinal) { "HELP", "INFO", "帮助" };
    private static readonly HashSet<string> Cancel = new(StringComparer.Ordinal) { "CANCEL", "取消", "取消预约", "我要取消" };

    public static ReplyIntent Read(string? body)
    {
        var text = Normalize(body);
        if (text.Length == 0)
            return ReplyIntent.None;
        var first = text.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        foreach (var candidate in new[] { text, first })
        {
            if (OptOut.Contains(candidate))
                return ReplyIntent.OptOut;
            if (OptOutMarketing.Contains(candidate))
                return ReplyIntent.OptOutMarketing;
            if (OptIn.Contains(candidate))
                return ReplyIntent.OptIn;
            if (Help.Contains(candidate))
                return ReplyIntent.Help;
            if (Cancel.Contains(candidate))
                return ReplyIntent.Cancel;
        }
        return ReplyIntent.None;
    }

    /// <summary>Upper case, half-width, without punctuation or symbols, single spaces.</summary>
    private static string Normalize(string? body)
    {
        var builder = new StringBuilder();
        foreach (var c in (body ?? "").Normalize(NormalizationForm.FormKC).ToUpperInvariant())
        {
            var category = char.GetUnicodeCategory(c);
            if (char.IsWhiteSpace(c))
                builder.Append(' ');
            else if (category is not (UnicodeCategory.OtherPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
                     or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.OtherSymbol))
                builder.Append(c);
        }
        return string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
