namespace Followup.Activities.Data;

public sealed class Customer
{
    public required string Id { get; set; }
    public required string Name { get; set; }

    /// <summary>E.164, validated at entry.</summary>
    public string? Phone { get; set; }

    public string? Email { get; set; }
    public string Language { get; set; } = "zh-CN";
    /// <summary>Consent is never assumed: false until the customer says yes.</summary>
    public bool SmsConsent { get; set; }

    public bool EmailConsent { get; set; }

    /// <summary>Consent to marketing: service reminders, surveys, follow-ups of declined work (on the channels consented above). Never assumed.</summary>
    public bool MarketingConsent { get; set; }

    /// <summary>The number a message may go to: service messages need SMS consent, marketing also marketing consent; null otherwise.</summary>
    public string? SmsTo(bool marketing = false) => SmsConsent && (!marketing || MarketingConsent) && !string.IsNullOrEmpty(Phone) ? Phone : null;

    /// <summary>The address a message may go to, by the same rule as <see cref="SmsTo"/>.</summary>
    public string? EmailTo(bool marketing = false) => EmailConsent && (!marketing || MarketingConsent) && !string.IsNullOrEmpty(Email) ? Email : null;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<Vehicle> Vehicles { get; set; } = [];
}
