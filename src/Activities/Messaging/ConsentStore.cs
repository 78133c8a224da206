using Followup.Activities.Data;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Messaging;

/// <summary>Who may be sent what (opt-outs by channel and address, with their history), and what customers sent us.</summary>
public sealed class ConsentStore(IDbContextFactory<DealershipDbContext> factory)
{
    public async Task<bool> IsOptedOutAsync(string channel, string address, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.ContactConsents.AnyAsync(c => c.Channel == channel && c.Address == address && c.OptedOut, cancellationToken);
    }

    /// <summary>Records an opt-out or opt-in with its source; returns false when it was already so.</summary>
    /// <summary>Whether a reply has stopped this kind of message to the address: STOP stops all, TD/退订 stops marketing.</summary>
    public async Task<bool> BlocksAsync(string channel, string address, bool marketing, CancellationToken cancellationToken) =>
        await IsOptedOutAsync(channel, address, cancellationToken) || (marketing && await IsOptedOutAsync(Channels.Marketing(channel), address, cancellationToken));

    public async Task<bool> SetConsentAsync(string channel, string address, bool optedOut, string source, DateTime at, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await db.ContactConsents.FirstOrDefaultAsync(c => c.Channel == channel && c.Address == address, cancellationToken);
        if (row is null)
        {
            row = new ContactConsentRecord { Channel = channel, Address = address };
            db.ContactConsents.Add(row);
        }
        else if (row.OptedOut == optedOut)
        {
            return false;
        }
        row.OptedOut = optedOut;
        row.UpdatedAt = at;
        var history = System.Text.Json.Nodes.JsonNode.Parse(row.History)!.AsArray();
        history.Add(new System.Text.Json.Nodes.JsonObject { ["optedOut"] = optedOut, ["at"] = at, ["source"] = source });
        row.History = history.ToJsonString();
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Stores an inbound message once (a provider retrying its webhook is ignored); false when it was known.</summary>
    public async Task<bool> AddInboundAsync(InboundMessageRecord message, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (message.ProviderId != null && await db.InboundMessages.AnyAsync(m => m.ProviderId == message.ProviderId, cancellationToken))
            return false;
        db.InboundMessages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<List<InboundMessageRecord>> ListInboundAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.InboundMessages.AsNoTracking().OrderByDescending(m => m.ReceivedAt).Take(limit).ToListAsync(cancellationToken);
    }
}
