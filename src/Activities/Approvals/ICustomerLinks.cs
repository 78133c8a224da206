using System.Text.Json;
using System.Text.Json.Nodes;
using Followup.Activities.Messaging;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Approvals;

/// <summary>Signed, expiring links to the customer's pages (the host signs them with its data-protection keys).</summary>
public interface ICustomerLinks
{
    /// <summary>How long an approval link opens its page (the page itself says when the approval has expired).</summary>
    static readonly TimeSpan ApprovalLinkLifetime = TimeSpan.FromDays(30);

    /// <summary>How long a booking link opens the booking page.</summary>
    static readonly TimeSpan BookingLinkLifetime = TimeSpan.FromDays(60);

    /// <summary>The approval page of one approval.</summary>
    string LinkFor(string approvalId);

    /// <summary>The self-service booking page for one vehicle.</summary>
    string BookingLinkFor(string vehicleId);
}
