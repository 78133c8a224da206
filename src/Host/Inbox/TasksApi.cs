using Followup.Activities.Tasks;
using Followup.Host.Api.Views;
using Followup.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Followup.Host.Inbox;

/// <summary><c>/api/tasks</c>: the inbox's operations for signed-in staff, with the same rules.</summary>
public static class TasksApi
{
    public sealed record CompleteRequest(string Action, Dictionary<string, string?>? Values);

    public sealed record ReassignRequest(string? User, string? Role);

    /// <summary>The soonest-due open tasks and how many there are in all.</summary>
    public sealed record TaskList(IReadOnlyList<TaskView> Items, int Total);

    public const int DefaultTake = 200;
    public const int MaxTake = 1000;

    public static WebApplication MapTasksApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/tasks").RequireStaff()
            .WithTags("Tasks").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/", async Task<Results<Ok<TaskList>, ValidationProblem>> (HttpContext context, TaskService tasks, CancellationToken ct, bool all = false, int take = DefaultTake) =>
        {
            if (take is < 1 or > MaxTake)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["take"] = [$"Take between 1 and {MaxTake} tasks."] });
            var page = await tasks.ListAsync(InboxPages.Staff(context.User), all, take, ct);
            return TypedResults.Ok(new TaskList(page.Tasks.Select(TaskView.From).ToList(), page.Total));
        }).WithSummary($"Open tasks of the signed-in staff member (all open tasks for managers with all=true), soonest due first: the first take (default {DefaultTake}, at most {MaxTake}) and how many there are.");
        api.MapPost("/{id}/claim", async Task<Results<NoContent, ProblemHttpResult>> (string id, HttpContext context, TaskService tasks, CancellationToken ct) =>
            ToResult(await tasks.ClaimAsync(id, InboxPages.Staff(context.User), ct)))
            .WithSummary("Claim a task of one of your roles so others see it is taken.");
        api.MapPost("/{id}/release", async Task<Results<NoContent, ProblemHttpResult>> (string id, HttpContext context, TaskService tasks, CancellationToken ct) =>
            ToResult(await tasks.ReleaseAsync(id, InboxPages.Staff(context.User), ct)))
            .WithSummary("Give a claimed task back to its role.");
        api.MapPost("/{id}/reassign", async Task<Results<NoContent, ProblemHttpResult>> (string id, [FromBody] ReassignRequest request, HttpContext context, TaskService tasks, CancellationToken ct) =>
            ToResult(await tasks.ReassignAsync(id, InboxPages.Staff(context.User), request.User, request.Role, ct)))
            .RequireStaff(Roles.Manager).WithSummary("Managers: give a task to a person or a role.");
        api.MapPost("/{id}/complete", async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> (string id, [FromBody] CompleteRequest request, HttpContext context, TaskService tasks, CancellationToken ct) =>
        {
            var (result, errors) = await tasks.CompleteAsync(id, InboxPages.Staff(context.User), request.Action, request.Values ?? [], "en", ct);
            if (result == TaskResult.Invalid)
                return TypedResults.ValidationProblem(errors);
            return result == TaskResult.Done ? TypedResults.NoContent() : Problem(result);
        }).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Complete a task with one of its actions and the form's values; 409 when it was completed already.");
        return app;
    }

    private static Results<NoContent, ProblemHttpResult> ToResult(TaskResult result) =>
        result == TaskResult.Done ? TypedResults.NoContent() : Problem(result);

    private static ProblemHttpResult Problem(TaskResult result) => result switch
    {
        TaskResult.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such task"),
        TaskResult.NotYours => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This task is not yours"),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The task is already completed", detail: "A completed task cannot be completed again."),
    };
}
