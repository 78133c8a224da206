using Followup.Activities.Data;
using Followup.Host.Pages;
using Followup.Host.Pages.Messages;
using Followup.Host.Security;
using Microsoft.EntityFrameworkCore;

namespace Followup.Host.Messaging;

/// <summary>What the store sent to customers and what they answered, for managers, advisors and callback agents; searchable by customer, phone, visit or text.</summary>
public static class MessagesPage
{
    public static WebApplication MapMessagesPage(this WebApplication app)
    {
        app.MapGet("/messages", async (HttpContext context, IDbContextFactory<DealershipDbContext> factory, string? q, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var outbox = db.Outbox.AsNoTracking();
            var inbound = db.InboundMessages.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(q))
            {
                var term = q.Trim();
                var digits = new string(term.Where(char.IsAsciiDigit).ToArray());
                var named = await db.Customers.AsNoTracking().Where(c => c.Name.Contains(term)).Take(200).Select(c => new { c.Phone, c.Email }).ToListAsync(ct);
                var addresses = named.SelectMany(c => new[] { c.Phone, c.Email }).OfType<string>().ToList();
                outbox = outbox.Where(o => o.Recipient.Contains(term) || (digits.Length >= 4 && o.Recipient.Contains(digits)) || (o.CorrelationId != null && o.CorrelationId.Contains(term))
                    || o.Payload.Contains(term) || addresses.Contains(o.Recipient));
                inbound = inbound.Where(m => m.From.Contains(term) || (digits.Length >= 4 && m.From.Contains(digits)) || m.Body.Contains(term) || addresses.Contains(m.From));
            }
            var sent = await outbox.OrderByDescending(o => o.CreatedAt).Take(200).ToListAsync(ct);
            var replies = await inbound.OrderByDescending(m => m.ReceivedAt).Take(200).ToListAsync(ct);
            var people = sent.Select(o => o.Recipient).Concat(replies.Select(r => r.From)).Distinct().ToList();
            var names = new Dictionary<string, string>();
            foreach (var c in await db.Customers.AsNoTracking().Where(c => (c.Phone != null && people.Contains(c.Phone)) || (c.Email != null && people.Contains(c.Email))).ToListAsync(ct))
            {
                if (c.Phone != null)
                    names[c.Phone] = c.Name;
                if (c.Email != null)
                    names[c.Email] = c.Name;
            }
            return StaffPages.Page<MessagesView>(context, new { Query = q, Sent = sent, Replies = replies, Names = names });
        }).RequireStaff(Roles.Manager, Roles.Advisor, Roles.CallbackAgent);
        return app;
    }
}
