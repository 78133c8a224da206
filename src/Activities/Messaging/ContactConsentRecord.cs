namespace Followup.Activities.Messaging;

/// <summary>Whether a customer's address (an E.164 phone number, an email address) may receive messages on a channel.</summary>
public sealed class ContactConsentRecord
{
    public required string Channel { get; set; }
    public required string Address { get; set; }
    public bool OptedOut { get; set; }

    /// <summary>JSON array of { optedOut, at, source }: who or what changed it and when.</summary>
    public string History { get; set; } = "[]";

    public DateTime UpdatedAt { get; set; }
}
