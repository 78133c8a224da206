using System.Net;
using Followup.Activities.Messaging;
using Followup.Host.Security;
using Followup.Host.Staff;
using Followup.Workflows.Persistence;
using Microsoft.AspNetCore.Identity;

namespace Followup.Host.Inbox;

/// <summary>A visit's page (<c>/visits/{correlationId}</c>): the timeline of its workflows, who it waits on, and the messages sent.</summary>
public static class VisitPage
{
    public static WebApplication MapVisitPage(this WebApplication app)
    {
        app.MapGet("/visits/{correlationId}", async (string correlationId, HttpContext context, WorkflowStore store, CancellationToken ct) =>
        {
            var lang = StaffText.Language(context);
            var en = lang == "en";
            static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
            var (instances, _) = await store.QueryInstancesAsync(new InstanceQuery { CorrelationId = correlationId, PageSize = 50 }, ct);
            var tasks = await store.ListTasksByCorrelationAsync(correlationId, ct);
            var messages = await store.ListOutboxAsync(correlationId, 100, ct);
            var sections = new List<string>();
            foreach (var instance in instances.OrderBy(i => i.CreatedAt))
            {
                var journal = await store.ListJournalAsync(instance.Id, ct);
                var steps = string.Concat(journal.Where(j => j.EventName is "Completed" or "Suspended" or "Escalated" or "Faulted" && j.ActivityType is not ("Elsa.Flowchart" or "Elsa.Workflow"))
                    .Select(j => $"<li>{j.Timestamp:MM-dd HH:mm} · {E(j.ActivityName ?? j.ActivityId)} · {E(j.EventName)}</li>"));
                sections.Add($"<h2>{E(instance.Name ?? instance.DefinitionId)} (v{instance.DefinitionVersion}) · {E(instance.SubStatus)}</h2><ul>{steps}</ul>");
            }
            var waiting = string.Concat(tasks.Where(t => t.Status == HumanTaskStatus.Open)
                .Select(t => $"<li><a href=\"/inbox/{E(t.Id)}\">{E(t.Title)}</a> · {E(t.ClaimedBy ?? t.AssigneeUser ?? t.AssigneeRole)}{(t.DueAt is { } d ? $" · {d:MM-dd HH:mm}" : "")}</li>"));
            var sent = string.Concat(messages.OrderBy(m => m.CreatedAt)
                .Select(m => $"<li>{m.CreatedAt:MM-dd HH:mm} · {E(m.Channel)} · {E(m.Status)} · {E(MessagePayload.FromJson(m.Payload).Subject ?? MessagePayload.FromJson(m.Payload).Text)}</li>"));
            var body = $"""
                <main class="card" style="max-width:900px">
                  <p><a href="/inbox/">{(en ? "Inbox" : "待办任务")}</a></p>
                  <h1>{(en ? "Visit" : "工单")} {E(correlationId)}</h1>
                  {await VisitSummary.RenderAsync(context, correlationId, lang, full: true, ct)}
                  <h2>{(en ? "Waiting on" : "等待处理")}</h2><ul>{(waiting.Length == 0 ? $"<li>{(en ? "Nobody" : "无")}</li>" : waiting)}</ul>
                  {string.Concat(sections)}
                  <h2>{(en ? "Messages sent" : "已发消息")}</h2><ul>{sent}</ul>
                </main>
                """;
            return AccountPages.Html(AccountPages.Layout(lang, correlationId, body));
        }).RequireStaff();
        return app;
    }
}
