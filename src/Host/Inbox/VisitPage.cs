using System.Net;
using Followup.Activities.Approvals;
using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Activities.Tasks;
using Followup.Host.Security;
using Followup.Host.Staff;
using Followup.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

using Followup.Host.Pages;

namespace Followup.Host.Inbox;

/// <summary>
/// A visit's page (<c>/visits/{correlationId}</c>): the timeline of its workflows, who it waits on, the customer's
/// approvals (sent, opened, decided; an advisor can send the link again) and the messages sent. Technicians see the
/// car and the work: not the customer's phone number, and no message texts. Nobody sees a customer's link.
/// </summary>
public static class VisitPage
{
    public static WebApplication MapVisitPage(this WebApplication app)
    {
        app.MapGet("/visits/{correlationId}", async (string correlationId, HttpContext context, WorkflowQueries store, TaskStore tasksStore, ApprovalStore approvalStore, OutboxStore outbox, IOptions<MessagingOptions> messaging, TimeProvider clock, CancellationToken ct) =>
        {
            var lang = StaffText.Language(context);
            var en = lang == "en";
            var contact = SeesCustomerContact(context);
            var show = messaging.Value;
            static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
            string Local(DateTime? utc) => utc is { } t ? show.Show(t, "MM-dd HH:mm") : "—";
            var (instances, _) = await store.QueryInstancesAsync(new InstanceQuery { CorrelationId = correlationId, PageSize = 50 }, ct);
            var tasks = await tasksStore.ListByCorrelationAsync(correlationId, ct);
            var sections = new List<string>();
            foreach (var instance in instances.OrderBy(i => i.CreatedAt))
            {
                var journal = await store.ListJournalAsync(instance.Id, ct);
                var steps = string.Concat(journal.Where(j => j.EventName is "Completed" or "Suspended" or "Escalated" or "Faulted" && j.ActivityType is not ("Elsa.Flowchart" or "Elsa.Workflow"))
                    .Select(j => $"<li>{Local(j.Timestamp)} · {E(j.ActivityName ?? j.ActivityId)} · {E(j.EventName)}</li>"));
                sections.Add($"<h2>{E(instance.Name ?? instance.DefinitionId)} (v{instance.DefinitionVersion}) · {E(instance.SubStatus)}</h2><ul>{steps}</ul>");
            }
            var waiting = string.Concat(tasks.Where(t => t.Status == HumanTaskStatus.Open)
                .Select(t => $"<li><a href=\"/inbox/{E(t.Id)}\">{E(t.Title)}</a> · {E(t.ClaimedBy ?? t.AssigneeUser ?? t.AssigneeRole)}{(t.DueAt is { } d ? $" · {Local(d)}" : "")}</li>"));
            var approvals = "";
            var sent = "";
            if (contact)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                var hidden = AccountPages.AntiforgeryField(context);
                approvals = string.Concat((await approvalStore.ListByCorrelationAsync(correlationId, ct)).Select(a =>
                {
                    var open = a.Status == ApprovalStatus.Pending && a.ExpiresAt > now;
                    return $"<li data-approval=\"{E(a.Id)}\">{E(a.Kind)} · {(en ? "sent" : "已发送")} {Local(a.CreatedAt)} · " +
                        $"{(a.OpenedAt is { } o ? $"{(en ? "opened" : "已打开")} {Local(o)}" : en ? "not opened" : "未打开")} · " +
                        $"{(a.DecidedAt is { } d ? $"{(en ? "decided" : "已决定")} {Local(d)} ({E(a.Decision)}, {E(a.DecidedVia)})" : a.Status == ApprovalStatus.TimedOut ? (en ? "no answer" : "未答复") : (en ? "waiting" : "等待答复"))}" +
                        (open ? $" <form method=\"post\" action=\"/visits/{E(Uri.EscapeDataString(correlationId))}/approvals/{E(a.Id)}/resend\" style=\"display:inline\">{hidden}<button>{(en ? "Send the link again" : "重新发送链接")}</button></form>" : "") + "</li>";
                }));
                sent = string.Concat((await outbox.ListAsync(correlationId, 100, ct)).OrderBy(m => m.CreatedAt).Select(m =>
                {
                    var payload = MessagePayload.FromJson(m.Payload);
                    return $"<li>{Local(m.CreatedAt)} · {E(m.Channel)} · {E(m.Status)} · {E(CustomerLinkMask.Mask(payload.Subject ?? payload.Text, lang))}</li>";
                }));
            }
            var body = $"""
                <main class="card" style="max-width:900px">
                  <p><a href="/inbox/">{(en ? "Inbox" : "待办任务")}</a></p>
                  <h1>{(en ? "Visit" : "工单")} {E(correlationId)}</h1>
                  {await VisitSummary.RenderAsync(context, correlationId, lang, full: true, ct)}
                  <h2>{(en ? "Waiting on" : "等待处理")}</h2><ul>{(waiting.Length == 0 ? $"<li>{(en ? "Nobody" : "无")}</li>" : waiting)}</ul>
                  {(contact ? $"<h2>{(en ? "The customer's approvals" : "客户确认")}</h2><ul class=\"approvals\">{approvals}</ul>" : "")}
                  {string.Concat(sections)}
                  {(contact ? $"<h2>{(en ? "Messages sent" : "已发消息")}</h2><ul>{sent}</ul>" : "")}
                </main>
                """;
            return StaffPages.Markup(context, correlationId, body);
        }).RequireStaff();

        app.MapPost("/visits/{correlationId}/approvals/{approvalId}/resend", ResendAsync)
            .RequireStaff(Roles.Manager, Roles.Advisor);
        return app;
    }

    /// <summary>Managers, advisors and callback agents talk to customers; technicians work on the car.</summary>
    public static bool SeesCustomerContact(HttpContext context) =>
        context.User.IsInRole(Roles.Manager) || context.User.IsInRole(Roles.Advisor) || context.User.IsInRole(Roles.CallbackAgent);

    /// <summary>Sends a pending approval's link to the customer again, by SMS, with the customer's consent.</summary>
    private static async Task<IResult> ResendAsync(string correlationId, string approvalId, HttpContext context, ApprovalStore store, OutboxStore outbox, IDbContextFactory<DealershipDbContext> factory,
        ICustomerLinks links, IOutboxQueue queue, TimeProvider clock, IOptions<Activities.Service.StoreOptions> shop, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (await store.FindAsync(approvalId, ct) is not { } approval || approval.CorrelationId != correlationId)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such approval on this visit");
        if (approval.Status != ApprovalStatus.Pending || approval.ExpiresAt <= now)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The approval is decided or has expired; there is no link to send");
        await using var db = await factory.CreateDbContextAsync(ct);
        var customer = await db.Visits.AsNoTracking().Where(v => v.Number == correlationId)
            .Join(db.Customers.AsNoTracking(), v => v.CustomerId, c => c.Id, (_, c) => c).FirstOrDefaultAsync(ct);
        if (customer?.SmsTo() is not { } phone)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The customer cannot be sent an SMS (no mobile number, or no consent)");
        var text = ApprovalTexts.Resend(approval.Kind, approval.Language, approval.CustomerName, links.LinkFor(approval.Id));
        var row = Outbox.SmsRow(shop.Value, $"approval:{approval.Id}:resend:{now.Ticks}", phone, new MessagePayload(approval.Language, text), urgent: true, correlationId, now);
        db.Audit.Add(AuditEntry.Of(Api.CustomersApi.Actor(context), "resent-link", "Approval", approval.Id, now));
        await db.SaveChangesAsync(ct);
        await outbox.AddAsync([row], ct);
        await queue.EnqueueAsync(row.Id, ct);
        return Results.LocalRedirect($"/visits/{Uri.EscapeDataString(correlationId)}");
    }
}
