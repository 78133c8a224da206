using Followup.Host.Pages;
using Followup.Host.Pages.Instances;
using Followup.Host.Security;
using Followup.Workflows.Definitions;
using Followup.Workflows.Management;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;

namespace Followup.Host.Designer;

/// <summary>
/// Where each workflow run is and why one stopped: the list of runs (by workflow and state) and a run's page (what it
/// waits on, its incidents, its timeline), for managers beside the designer. The designer's Run lands on the run's page.
/// </summary>
public static class InstancePages
{
    public static readonly string[] States = ["waiting", "finished", "faulted", "cancelled"];

    public static WebApplication MapInstancePages(this WebApplication app)
    {
        var managers = app.MapGroup("/designer").RequireStaff(Roles.Manager);
        managers.MapGet("/instances", async (HttpContext context, WorkflowQueries queries, WorkflowDefinitionCache definitions, string? workflow, string? state, int? page, CancellationToken ct) =>
        {
            var filter = new InstanceQuery
            {
                DefinitionId = string.IsNullOrWhiteSpace(workflow) ? null : workflow,
                Status = state switch { "waiting" => "Running", "finished" or "faulted" or "cancelled" => "Finished", _ => null },
                SubStatus = state switch { "finished" => "Finished", "faulted" => "Faulted", "cancelled" => "Cancelled", _ => null },
                Page = Math.Max(0, page ?? 0),
                PageSize = 50,
            };
            var (items, total) = await queries.QueryInstancesAsync(filter, ct);
            var workflows = definitions.All().GroupBy(d => d.DefinitionId).Select(g => g.OrderByDescending(d => d.IsPublished).ThenByDescending(d => d.Version).First())
                .OrderBy(d => d.Name ?? d.DefinitionId, StringComparer.CurrentCulture).ToList();
            return StaffPages.Page<InstanceListPage>(context, new { Items = items, Total = total, Filter = filter, State = state, Workflows = workflows });
        });
        managers.MapGet("/instances/{id}", (string id, HttpContext context, IServiceProvider services, CancellationToken ct) => ShowAsync(id, context, services, ct));
        // Where the designer's Run button sends the browser (its own route inside the designer).
        managers.MapGet("/workflows/instances/{id}/view", (string id) => Results.Redirect($"/designer/instances/{Uri.EscapeDataString(id)}"));
        managers.MapPost("/instances/{id}/retry", async (string id, HttpContext context, IWorkflowRuntime runtime, IServiceProvider services, CancellationToken ct) =>
        {
            var retried = await runtime.RetryAsync(id, ct);
            return retried is null
                ? await ShowAsync(id, context, services, ct)
                : Results.Redirect($"/designer/instances/{Uri.EscapeDataString(id)}");
        });
        return app;
    }

    private static async Task<IResult> ShowAsync(string id, HttpContext context, IServiceProvider services, CancellationToken ct)
    {
        var queries = services.GetRequiredService<WorkflowQueries>();
        if (await queries.FindInstanceAsync(id, ct) is not { } instance)
        {
            var view = StaffView.From(context);
            return StaffPages.Markup(context, view.T("流程实例", "Workflow run"), $"<p class=\"error\">{System.Net.WebUtility.HtmlEncode(view.T("没有这个流程实例。", "There is no such workflow run."))}</p>", StatusCodes.Status404NotFound);
        }
        var definition = services.GetRequiredService<WorkflowDefinitionCache>().FindVersion(instance.DefinitionVersionId);
        var run = await services.GetRequiredService<IWorkflowRuntime>().FindAsync(id, ct);
        return StaffPages.Page<InstancePage>(context, new
        {
            Instance = instance,
            Definition = definition,
            Waits = run?.Bookmarks ?? [],
            Incidents = await queries.ListIncidentsAsync(id, ct),
            Journal = await queries.ListJournalAsync(id, ct),
        });
    }

    /// <summary>A step as the designer labels it: its label on the canvas, else its name, else its kind.</summary>
    public static string StepName(WorkflowDefinition? definition, string? activityId, string? name, string? type)
    {
        var node = activityId is null ? null : definition?.Root.Descendants().FirstOrDefault(n => n.Id == activityId);
        return node?.Json["metadata"]?["displayText"]?.ToString() is { Length: > 0 } label ? label
            : (node?.Name ?? name) is { Length: > 0 } named ? named
            : node?.ActivityType?.DisplayName ?? type?[(type.LastIndexOf('.') + 1)..] ?? "—";
    }
}
