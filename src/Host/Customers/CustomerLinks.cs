using System.Net;
using System.Security.Cryptography;
using Followup.Activities.Approvals;
using Followup.Activities.Messaging;
using Followup.Host.Staff;
using Followup.Workflows.Persistence;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Followup.Host.Customers;

/// <summary>
/// Customer links: <c>/c/{token}</c> names one approval, <c>/c/book/{token}</c> one vehicle to book for. Each token is
/// signed with the host's keys for its purpose only, expires, and is useless for anything else.
/// </summary>
public sealed class CustomerLinks(IDataProtectionProvider protection, IOptions<MessagingOptions> messaging) : ICustomerLinks
{
    private readonly ITimeLimitedDataProtector _approvals = protection.CreateProtector("Followup.CustomerLink.Approval").ToTimeLimitedDataProtector();
    private readonly ITimeLimitedDataProtector _bookings = protection.CreateProtector("Followup.CustomerLink.Booking").ToTimeLimitedDataProtector();

    public string Token(string approvalId) => _approvals.Protect(approvalId, ICustomerLinks.ApprovalLinkLifetime);

    public string LinkFor(string approvalId) => $"{messaging.Value.PublicBaseUrl.TrimEnd('/')}/c/{Token(approvalId)}";

    public string BookingLinkFor(string vehicleId) => $"{messaging.Value.PublicBaseUrl.TrimEnd('/')}/c/book/{_bookings.Protect(vehicleId, ICustomerLinks.BookingLinkLifetime)}";

    /// <summary>The approval id, or null for a tampered, foreign or very old token.</summary>
    public string? Read(string token) => Read(_approvals, token);

    /// <summary>The vehicle id of a booking link, or null.</summary>
    public string? ReadBooking(string token) => Read(_bookings, token);

    private static string? Read(ITimeLimitedDataProtector protector, string token)
    {
        try
        {
            return protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
