using Followup.Workflows.Configuration;

namespace Followup.Activities.Messaging;

public sealed class SmtpOptions : ICheckedOptions
{
    public const string SectionName = "Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;

    /// <summary>None, StartTls, SslOnConnect or Auto.</summary>
    public string Security { get; set; } = "StartTls";

    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "Followup <service@example.com>";

    public bool Configured => !string.IsNullOrEmpty(Host);

    public static readonly string[] SecurityModes = ["None", "StartTls", "SslOnConnect", "Auto"];

    public IEnumerable<string> Problems()
    {
        if (Port is < 1 or > 65535)
            yield return $"{nameof(Port)}: a port between 1 and 65535 (587 for STARTTLS, 465 for TLS).";
        if (!SecurityModes.Contains(Security, StringComparer.OrdinalIgnoreCase))
            yield return $"{nameof(Security)}: {string.Join(", ", SecurityModes)}.";
        if (string.IsNullOrEmpty(UserName) != string.IsNullOrEmpty(Password))
            yield return $"{(string.IsNullOrEmpty(UserName) ? nameof(UserName) : nameof(Password))}: needed with {(string.IsNullOrEmpty(UserName) ? nameof(Password) : nameof(UserName))} (both or neither).";
        if (!MimeKit.MailboxAddress.TryParse(From, out var from) || !from.Address.Contains('@', StringComparison.Ordinal))
            yield return $"{nameof(From)}: the sender, e.g. \"Store service <service@store.example>\".";
    }
}
