using System.Net;
using System.Security.Claims;
using Followup.Activities.Tasks;
using Followup.Host.Security;
using Followup.Host.Staff;
using Followup.Workflows.Persistence;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using Followup.Activities.Messaging;

using Followup.Host.Pages;

namespace Followup.Host.Inbox;

/// <summary>
/// The staff inbox at <c>/inbox</c>: my tasks and my roles' open tasks, soonest due first, overdue ones marked; claim,
/// release, complete with validation, managers reassign. The list refreshes itself every few seconds. Forms carry
/// antiforgery tokens. The same operations are at <c>/api/tasks</c>.
/// </summary>
public static class InboxPages
{
    private static readonly Dictionary<string, (string Zh, string En)> Words = new()
    {
        ["inbox"] = ("待办任务", "Inbox"),
        ["title"] = ("任务", "Task"),
        ["due"] = ("截止", "Due"),
        ["overdue"] = ("已超时", "Overdue"),
        ["for"] = ("负责", "For"),
        ["claim"] = ("认领", "Claim"),
        ["release"] = ("释放", "Release"),
        ["open"] = ("打开", "Open"),
        ["none"] = ("没有待办任务。", "No open tasks."),
        ["visit"] = ("工单 / 关联", "Visit / correlation"),
        ["timeline"] = ("流程进度", "Workflow timeline"),
        ["reassign"] = ("转派（用户名或角色）", "Reassign (user name or role)"),
        ["done"] = ("已完成，流程已继续。", "Completed; the workflow has moved on."),
        ["already"] = ("此任务已完成，不能再次提交。", "This task is already completed; it cannot be submitted again."),
        ["notyours"] = ("此任务不属于您。", "This task is not yours."),
        ["all"] = ("全部任务", "All tasks"),
        ["messages"] = ("客户消息", "Customer messages"),
    };

    public static StaffMember Staff(ClaimsPrincipal user) =>
        new(user.Identity?.Name ?? "", user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList());

    public static WebApplication MapInbox(this WebApplication app)
    {
        var staff = app.MapGroup("/inbox").RequireStaff();
        staff.MapGet("/", ListAsync);
        staff.MapGet("/{id}", TaskPageAsync);
        staff.MapPost("/{id}", CompleteAsync).RequireForm();
        staff.MapPost("/{id}/claim", async (string id, HttpContext context, TaskService tasks, CancellationToken ct) =>
        {
            await tasks.ClaimAsync(id, Staff(context.User), ct);
            return Results.LocalRedirect("/inbox/");
        });
        staff.MapPost("/{id}/release", async (string id, HttpContext context, TaskService tasks, CancellationToken ct) =>
        {
            await tasks.ReleaseAsync(id, Staff(context.User), ct);
            return Results.LocalRedirect("/inbox/");
        });
        staff.MapPost("/{id}/reassign", async (string id, HttpContext context, TaskService tasks, CancellationToken ct) =>
        {
            var to = context.Request.Form["to"].ToString().Trim();
            var result = Roles.All.Contains(to)
                ? await tasks.ReassignAsync(id, Staff(context.User), null, to, ct)
                : await tasks.ReassignAsync(id, Staff(context.User), to, null, ct);
            return result == TaskResult.NotYours ? Results.StatusCode(StatusCodes.Status403Forbidden) : Results.LocalRedirect("/inbox/");
        }).RequireForm().RequireStaff(Roles.Manager);
        return app;
    }

    private static string W(string lang, string key) => WebUtility.HtmlEncode(lang == "en" ? Words[key].En : Words[key].Zh);

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    /// <summary>Who holds a task: the person, or the role in the reader's words.</summary>
    private static string Holder(HumanTaskRecord t, string lang) => t.ClaimedBy ?? t.AssigneeUser ?? (t.AssigneeRole is { } role ? StaffText.RoleName(lang, role) : "");

    private static async Task<IResult> ListAsync(HttpContext context, TaskService tasks, TimeProvider clock, IAntiforgery antiforgery, IOptions<MessagingOptions> messaging, CancellationToken ct, bool all = false, bool partial = false)
    {
        var lang = StaffText.Language(context);
        var me = Staff(context.User);
        var list = await tasks.ListAsync(me, all, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var hidden = AccountPages.AntiforgeryField(context);
        var rows = string.Concat(list.Select(t =>
        {
            var overdue = t.DueAt < now;
            var holder = Holder(t, lang);
            var claim = t.ClaimedBy == me.UserName
                ? $"<form method=\"post\" action=\"/inbox/{E(t.Id)}/release\">{hidden}<button>{W(lang, "release")}</button></form>"
                : t.ClaimedBy is null ? $"<form method=\"post\" action=\"/inbox/{E(t.Id)}/claim\">{hidden}<button>{W(lang, "claim")}</button></form>" : "";
            return $"<tr class=\"{(overdue ? "overdue" : "")}\" data-task=\"{E(t.Id)}\"><td><a href=\"/inbox/{E(t.Id)}\">{E(t.Title)}</a></td><td>{E(t.CorrelationId)}</td>" +
                   $"<td>{(t.DueAt is { } d ? messaging.Value.Show(d, "MM-dd HH:mm") : "")}{(overdue ? $" <strong>{W(lang, "overdue")}</strong>" : "")}</td><td>{E(holder)}</td><td>{claim}</td></tr>";
        }));
        var table = list.Count == 0 ? $"<p>{W(lang, "none")}</p>"
            : $"<table><thead><tr><th>{W(lang, "title")}</th><th>{W(lang, "visit")}</th><th>{W(lang, "due")}</th><th>{W(lang, "for")}</th><th></th></tr></thead><tbody>{rows}</tbody></table>";
        if (partial)
            return AccountPages.Html(table);
        var body = $"""
            <main class="wide">
              {(me.IsManager ? $"<p><a href=\"/inbox/?all=true\">{W(lang, "all")}</a></p>" : "")}
              <h1>{W(lang, "inbox")}</h1>
              <div id="tasks">{table}</div>
            </main>
            """;
        var refresh = Refresh.Replace("PARTIAL", all ? "/inbox/?partial=true&all=true" : "/inbox/?partial=true", StringComparison.Ordinal);
        return StaffPages.Markup(context, lang == "en" ? Words["inbox"].En : Words["inbox"].Zh, body + refresh + Style);
    }

    private static async Task<IResult> TaskPageAsync(string id, HttpContext context, TaskStore store, CancellationToken ct) =>
        await RenderTaskAsync(id, context, store, null, null, ct);

    private static async Task<IResult> RenderTaskAsync(string id, HttpContext context, TaskStore store,
        Dictionary<string, string[]>? errors, string? notice, CancellationToken ct, int status = StatusCodes.Status200OK, IReadOnlyDictionary<string, string?>? submitted = null)
    {
        var lang = StaffText.Language(context);
        var me = Staff(context.User);
        if (await store.FindAsync(id, ct) is not { } task || !TaskService.MaySee(task, me))
            return StaffPages.Markup(context, W(lang, "title"), $"<main class=\"wide\"><p class=\"error\">{W(lang, "notyours")}</p></main>" + Style, StatusCodes.Status404NotFound);
        var form = TaskForm.FromJson(task.Form);
        var hidden = AccountPages.AntiforgeryField(context);
        string Value(string name) => E(submitted?.GetValueOrDefault(name));
        string Error(string name) => errors?.GetValueOrDefault(name) is { } e ? $"<span class=\"error\">{E(string.Join(" ", e))}</span>" : "";
        var fields = string.Concat(form.Fields.Select(f =>
        {
            var label = $"{E(f.Label(lang))}{(!f.Required ? "" : f.RequiredFor.Count == 0 ? (lang == "en" ? " (required)" : "（必填）")
                : lang == "en" ? $" (required for “{E(string.Join("”, “", f.RequiredFor.Select(a => form.ActionText(a, lang))))}”)" : $"（选择“{E(string.Join("”“", f.RequiredFor.Select(a => form.ActionText(a, lang))))}”时必填）")}";
            var input = f.Type switch
            {
                "multiline" => $"<textarea name=\"{E(f.Name)}\">{Value(f.Name)}</textarea>",
                "number" or "money" => $"<input name=\"{E(f.Name)}\" inputmode=\"decimal\" value=\"{Value(f.Name)}\">",
                "datetime" => $"<input name=\"{E(f.Name)}\" type=\"datetime-local\" value=\"{Value(f.Name)}\">",
                "choice" => $"<select name=\"{E(f.Name)}\"><option value=\"\"></option>{string.Concat(f.Options.Select(o => $"<option value=\"{E(o)}\"{(submitted?.GetValueOrDefault(f.Name) == o ? " selected" : "")}>{E(f.OptionText(o, lang))}</option>"))}</select>",
                "multichoice" => string.Concat(f.Options.Select(o => $"<label class=\"inline\"><input type=\"checkbox\" name=\"{E(f.Name)}\" value=\"{E(o)}\"> {E(f.OptionText(o, lang))}</label>")),
                "checkbox" or "acknowledgement" => $"<input type=\"checkbox\" name=\"{E(f.Name)}\" value=\"true\">",
                "photo" => $"<input type=\"file\" name=\"{E(f.Name)}\" accept=\"image/jpeg,image/png\" capture=\"environment\">",
                _ => $"<input name=\"{E(f.Name)}\" value=\"{Value(f.Name)}\">",
            };
            return $"<label>{label}{input}{Error(f.Name)}</label>";
        }));
        var actions = string.Concat(form.Actions.Select(a => $"<button type=\"submit\" name=\"action\" value=\"{E(a)}\">{E(form.ActionText(a, lang))}</button>"));
        var messaging = context.RequestServices.GetRequiredService<IOptions<MessagingOptions>>().Value;
        var steps = task.CorrelationId is null ? [task] : await store.ListByCorrelationAsync(task.CorrelationId, ct);
        var timeline = string.Concat(steps.Where(t => t.InstanceId == task.InstanceId).OrderBy(t => t.CreatedAt).Select(t =>
            $"<li>{messaging.Show(t.CreatedAt, "MM-dd HH:mm")} · {E(t.Title)} · " + (t.CompletedAt is { } done
                ? $"{messaging.Show(done, "MM-dd HH:mm")} {E(t.CompletedBy)} {(t.Outcome is null ? "" : E(TaskForm.FromJson(t.Form).ActionText(t.Outcome, lang)))}"
                : E(Holder(t, lang))) + "</li>"));
        var completed = task.Status != HumanTaskStatus.Open;
        var summary = await VisitSummary.RenderAsync(context, task.CorrelationId, lang, full: false, ct);
        var body = $"""
            <main class="wide">
              <h1>{E(task.Title)}</h1>
              {(notice is null ? "" : $"<p class=\"notice\" role=\"status\">{E(notice)}</p>")}
              <p>{W(lang, "visit")}: {(task.CorrelationId is null ? "—" : $"<a href=\"/visits/{Uri.EscapeDataString(task.CorrelationId)}\">{E(task.CorrelationId)}</a>")} · {W(lang, "due")}: {(task.DueAt is { } d ? messaging.Show(d, "MM-dd HH:mm") : "—")} · {W(lang, "for")}: {E(Holder(task, lang))}</p>
              {summary}
              {(task.Instructions is null ? "" : $"<p class=\"instructions\">{E(task.Instructions)}</p>")}
              {(completed ? (notice is null ? $"<p class=\"notice\">{W(lang, "already")}</p>" : "") : $"""
              <form method="post" action="/inbox/{E(task.Id)}" class="task-form" enctype="multipart/form-data">
                {hidden}
                {fields}
                {Error("action")}
                <div class="actions">{actions}</div>
              </form>
              """)}
              {(me.IsManager && !completed ? $"<form method=\"post\" action=\"/inbox/{E(task.Id)}/reassign\">{hidden}<label>{W(lang, "reassign")}<input name=\"to\"></label><button>OK</button></form>" : "")}
              <h2>{W(lang, "timeline")}</h2><ul class="timeline">{timeline}</ul>
            </main>
            """;
        return StaffPages.Markup(context, task.Title, body + Style, status);
    }

    private static async Task<IResult> CompleteAsync(string id, HttpContext context, TaskService tasks, TaskStore store, Attachments attachments, CancellationToken ct)
    {
        var lang = StaffText.Language(context);
        var form = await context.Request.ReadFormAsync(ct);
        var submitted = form.Keys.Where(k => k != "action" && !k.StartsWith("__", StringComparison.Ordinal))
            .ToDictionary(k => k, k => (string?)string.Join(",", form[k].Where(v => v != null && v != "false").DefaultIfEmpty(form[k].LastOrDefault())), StringComparer.Ordinal);
        var saved = new List<string>();
        foreach (var file in form.Files.Where(f => f.Length > 0))
        {
            var (value, error) = await attachments.SaveAsync(file, ct);
            submitted[file.Name] = value ?? error;
            if (value != null)
                saved.Add(value);
        }
        var (result, errors) = await tasks.CompleteAsync(id, Staff(context.User), form["action"].ToString(), submitted, lang, ct);
        if (result != TaskResult.Done)
            attachments.Discard(saved);
        return result switch
        {
            TaskResult.Done => await RenderTaskAsync(id, context, store, null, lang == "en" ? Words["done"].En : Words["done"].Zh, ct),
            TaskResult.Invalid => await RenderTaskAsync(id, context, store, errors, null, ct, StatusCodes.Status400BadRequest, submitted),
            TaskResult.AlreadyCompleted => await RenderTaskAsync(id, context, store, null, null, ct, StatusCodes.Status409Conflict),
            _ => await RenderTaskAsync(id, context, store, null, null, ct, StatusCodes.Status403Forbidden),
        };
    }

    /// <summary>New tasks appear without a reload: the list is fetched again every five seconds.</summary>
    private const string Refresh = """
        <script>
          setInterval(async () => {
            const r = await fetch('PARTIAL', { credentials: 'same-origin' });
            if (r.ok) document.getElementById('tasks').innerHTML = await r.text();
          }, 5000);
        </script>
        """;

    private const string Style = """
        <style>.wide { max-width: 1100px; margin: 1.5rem auto; background: #fff; padding: 1.5rem; border-radius: 8px; }
        table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #ddd; padding: .5rem; text-align: left; }
        tr.overdue td { background: #fff3e0; } .error { color: #b00020; display: block; } .notice { background: #e8f5e9; padding: .6rem; }
        .task-form { display: grid; gap: .8rem; max-width: 560px; } .task-form label { display: grid; gap: .3rem; } .inline { display: inline-flex !important; gap: .3rem; }
        .actions { display: flex; gap: .6rem; } .actions button, td button { padding: .5rem 1rem; }
        @media (max-width: 700px) { .wide { margin: 0; border-radius: 0; } td:nth-child(2), th:nth-child(2) { display: none; } }</style>
        """;
}
