using System.Security.Cryptography;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Messaging;

/// <summary>A short customer link, <c>/s/{code}</c>, standing for a long signed one until that one expires.</summary>
public sealed class ShortLinkRecord
{
    public required string Code { get; set; }
    public required string Target { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// Links in SMS are short: a random code of <see cref="CodeLength"/> letters and digits (62⁸ ≈ 2·10¹⁴, so not guessable)
/// that resolves to the signed link. What the signed link allows (one approval, one booking; its expiry, its single
/// use) is unchanged: the code only saves the customer's text 200 characters.
/// </summary>
public static class ShortLinks
{
    public const int CodeLength = 8;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static ShortLinkRecord New(string target, DateTime expiresAt, DateTime now) => new()
    {
        Code = RandomNumberGenerator.GetString(Alphabet, CodeLength),
        Target = target,
        ExpiresAt = expiresAt,
        CreatedAt = now,
    };

    public static string Url(MessagingOptions messaging, string code) => $"{messaging.PublicBaseUrl.TrimEnd('/')}/s/{code}";

    /// <summary>A short link written with the step's burst, in its transaction.</summary>
    public static string For(ActivityExecutionContext context, string target, TimeSpan lifetime)
    {
        var now = context.Clock.GetUtcNow().UtcDateTime;
        var record = New(target, now + lifetime, now);
        context.Workflow.Records.Insert(record);
        return Url(context.GetRequiredService<IOptions<MessagingOptions>>().Value, record.Code);
    }

    public static bool IsCode(string? code) => code is { Length: CodeLength } && code.All(c => char.IsAsciiLetterOrDigit(c));
}
