namespace Followup.Activities.Messaging;

public sealed class SmtpOptions
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
}
