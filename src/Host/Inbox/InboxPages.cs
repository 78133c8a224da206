using System.Net;
using System.Security.Claims;
using Followup.Activities.Tasks;
using Followup.Host.Pages;
using Followup.Host.Pages.Inbox;
using Followup.Host.Security;
using Followup.Host.Staff;

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
        ["title"] = ("任务", "Task"),
        ["done"] = ("已完成，流程已继续。", "Completed; the workflow has moved on."),
        ["notyours"] = ("此任务不属于您。", "This task is not yours."),
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

    /// <summary>The tasks the inbox shows, soonest due first; the rest are counted below them.</summary>
    public const int PageSize = 100;

    private static async Task<IResult> ListAsync(HttpContext context, TaskService tasks, TimeProvider clock, CancellationToken ct, bool all = false, bool partial = false)
    {
        var list = await tasks.ListAsync(Staff(context.User), all, PageSize, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return partial
            ? StaffPages.Page<TaskRows>(context, new { Tasks = list.Tasks, Total = list.Total, Now = now })
            : StaffPages.Page<InboxPage>(context, new { Tasks = list.Tasks, Total = list.Total, Now = now, All = all && context.User.IsInRole(Roles.Manager) });
    }

    private static async Task<IResult> TaskPageAsync(string id, HttpContext context, TaskStore store, CancellationToken ct) =>
        await RenderTaskAsync(id, context, store, null, null, ct);

    private static async Task<IResult> RenderTaskAsync(string id, HttpContext context, TaskStore store,
        Dictionary<string, string[]>? errors, string? notice, CancellationToken ct, int status = StatusCodes.Status200OK, IReadOnlyDictionary<string, string?>? submitted = null)
    {
        var lang = StaffText.Language(context);
        if (await store.FindAsync(id, ct) is not { } task || !TaskService.MaySee(task, Staff(context.User)))
            return StaffPages.Markup(context, W(lang, "title"), $"<p class=\"error\">{W(lang, "notyours")}</p>", StatusCodes.Status404NotFound);
        var steps = task.CorrelationId is null ? [task] : await store.ListByCorrelationAsync(task.CorrelationId, ct);
        return StaffPages.Page<TaskPage>(context, new
        {
            Task = task,
            Facts = await VisitSummary.LoadAsync(context, task.CorrelationId, lang, full: false, ct),
            Steps = steps.Where(t => t.InstanceId == task.InstanceId).OrderBy(t => t.CreatedAt).ToList(),
            Errors = errors,
            Submitted = submitted,
            Notice = notice,
        }, status);
    }

    private static string W(string lang, string key) => WebUtility.HtmlEncode(lang == "en" ? Words[key].En : Words[key].Zh);

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
}
