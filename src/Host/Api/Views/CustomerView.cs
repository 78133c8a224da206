using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>A customer as the API gives it: contact, language, consent (service messages per channel, and marketing), and their vehicles when asked for one customer.</summary>
public sealed record CustomerView(string Id, string Name, string? Phone, string? Email, string Language, bool SmsConsent, bool EmailConsent,
    bool MarketingConsent, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<VehicleView> Vehicles)
{
    public static CustomerView From(Customer c) => new(c.Id, c.Name, c.Phone, c.Email, c.Language, c.SmsConsent, c.EmailConsent, c.MarketingConsent, c.CreatedAt, c.UpdatedAt,
        c.Vehicles.Select(VehicleView.From).ToList());
}
