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
        app.MapGet("/visits/{correlationId}", async (string correlationId, HttpContext context, WorkflowQueries store, TaskStore tasksStore, ApprovalStore approvalStore, OutboxStore outbox,
            TimeProvider clock, CancellationToken ct) =>
        {
            var lang = StaffText.Language(context);
            var contact = SeesCustomerContact(context);
            var (running, _) = await store.QueryInstancesAsync(new InstanceQuery { CorrelationId = correlationId, Status = nameof(Workflows.Runtime.WorkflowStatus.Running), PageSize = 1 }, ct);
            return StaffPages.Page<Pages.Visits.VisitView>(context, new
            {
                Number = correlationId,
                Facts = await VisitSummary.LoadAsync(context, correlationId, lang, full: true, ct),
                Tasks = await tasksStore.ListByCorrelationAsync(correlationId, ct),
                Approvals = await approvalStore.ListByCorrelationAsync(correlationId, ct),
                Messages = contact ? (await outbox.ListAsync(correlationId, 100, ct)).OrderBy(m => m.CreatedAt).ToList() : [],
                Running = running.Count > 0,
                Contact = contact,
                Now = clock.GetUtcNow().UtcDateTime,
            });
        }).RequireStaff();

        app.MapPost("/visits/{correlationId}/approvals/{approvalId}/resend", ResendAsync)
            .RequireStaff(Roles.Manager, Roles.Advisor);
        app.MapGet("/visits/{correlationId}/approvals/{approvalId}/counter", async (string correlationId, string approvalId, HttpContext context, ApprovalStore store,
            IDbContextFactory<DealershipDbContext> factory, IOptions<Activities.Service.StoreOptions> shop, CancellationToken ct) =>
            await CounterAsync(correlationId, approvalId, context, store, factory, shop.Value, null, null, null, ct))
            .RequireStaff(Roles.Manager, Roles.Advisor);
        app.MapPost("/visits/{correlationId}/approvals/{approvalId}/counter", CounterDecideAsync)
            .RequireStaff(Roles.Manager, Roles.Advisor).RequireForm();
        return app;
    }

    private static async Task<IResult> CounterAsync(string correlationId, string approvalId, HttpContext context, ApprovalStore store, IDbContextFactory<DealershipDbContext> factory,
        Activities.Service.StoreOptions shop, IReadOnlyCollection<string>? chosen, string? signedName, string? error, CancellationToken ct)
    {
        if (await store.FindAsync(approvalId, ct) is not { } approval || approval.CorrelationId != correlationId)
            return Results.NotFound();
        if (approval.Status != ApprovalStatus.Pending)
            return Results.LocalRedirect($"/visits/{Uri.EscapeDataString(correlationId)}");
        await using var db = await factory.CreateDbContextAsync(ct);
        var plate = await db.Visits.AsNoTracking().Where(v => v.Number == correlationId).Join(db.Vehicles.AsNoTracking(), v => v.VehicleId, c => c.Id, (_, c) => c.Plate).FirstOrDefaultAsync(ct);
        return StaffPages.Page<Pages.Visits.CounterApprovalPage>(context, new { Approval = approval, Number = correlationId, Plate = plate, Store = shop, Chosen = chosen, SignedName = signedName, Error = error },
            error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    /// <summary>
    /// The customer's decision at the counter, recorded as in person with the name they typed: approving needs the name
    /// and the consent tick (the lines they chose stay chosen when either is missing); declining everything needs neither.
    /// </summary>
    private static async Task<IResult> CounterDecideAsync(string correlationId, string approvalId, HttpContext context, ApprovalStore store, ApprovalService approvals,
        IDbContextFactory<DealershipDbContext> factory, IOptions<Activities.Service.StoreOptions> shop, CancellationToken ct)
    {
        var en = StaffText.Language(context) == "en";
        var form = await context.Request.ReadFormAsync(ct);
        var decline = form["decision"] == "decline";
        var name = form["signedName"].ToString().Trim();
        var chosen = decline ? [] : form["line"].Where(v => v != null).Select(v => v!).ToArray();
        if (!decline && (name.Length == 0 || form["consent"] != "true"))
            return await CounterAsync(correlationId, approvalId, context, store, factory, shop.Value, chosen, name,
                en ? "The customer types their name and ticks the consent box to approve." : "同意时请客户输入姓名并勾选同意。", ct);
        if (await store.FindAsync(approvalId, ct) is not { } approval || approval.CorrelationId != correlationId)
            return Results.NotFound();
        var result = await approvals.DecideAsync(approvalId, chosen, context.User.Identity?.Name ?? "staff", "in-person", name.Length == 0 ? null : name,
            context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString(), ct);
        if (result is DecisionResult.Recorded or DecisionResult.AlreadyAnswered)
            return Results.LocalRedirect($"/visits/{Uri.EscapeDataString(correlationId)}");
        return await CounterAsync(correlationId, approvalId, context, store, factory, shop.Value, chosen, name,
            result == DecisionResult.Expired ? (en ? "This decision is no longer awaited." : "此确认已结束，不能再记录。") : (en ? "Choose among the lines shown." : "请在列出的项目中选择。"), ct);
    }

    /// <summary>Whether the caller sees customers' contact details and messages (<see cref="Roles.CustomerContact"/>).</summary>
    public static bool SeesCustomerContact(HttpContext context) => Roles.CustomerContact.Any(context.User.IsInRole);

    /// <summary>Sends a pending approval's link to the customer again, by SMS, with the customer's consent.</summary>
    private static async Task<IResult> ResendAsync(string correlationId, string approvalId, HttpContext context, ApprovalStore store, OutboxStore outbox, IDbContextFactory<DealershipDbContext> factory,
        ICustomerLinks links, IOutboxQueue queue, TimeProvider clock, IOptions<Activities.Service.StoreOptions> shop, IOptions<SmsOptions> sms, IOptions<MessagingOptions> messaging, CancellationToken ct)
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
        var link = ShortLinks.New(links.LinkFor(approval.Id), now + ICustomerLinks.ApprovalLinkLifetime, now);
        db.ShortLinks.Add(link);
        var url = ShortLinks.Url(messaging.Value, link.Code);
        var text = ApprovalTexts.Resend(approval.Kind, approval.Language, approval.CustomerName, url);
        var values = ApprovalSms.Values(approval.CustomerName, shop.Value.Money(ApprovalSms.Total(ApprovalContent.Lines(approval.Content))), url);
        var row = Outbox.SmsRow(shop.Value, sms.Value, $"approval:{approval.Id}:resend:{now.Ticks}", phone,
            new MessagePayload(approval.Language, text).As(ApprovalSms.ReminderKind(approval.Kind), values) with { FallbackEmail = customer.EmailTo() }, urgent: true, correlationId, now);
        db.Audit.Add(AuditEntry.Of(Api.CustomersApi.Actor(context), "resent-link", "Approval", approval.Id, now));
        await db.SaveChangesAsync(ct);
        await outbox.AddAsync([row], ct);
        await queue.EnqueueAsync(row.Id, ct);
        return Results.LocalRedirect($"/visits/{Uri.EscapeDataString(correlationId)}");
    }
}
