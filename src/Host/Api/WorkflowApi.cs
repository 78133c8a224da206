using System.Text.Json;
using Followup.Host.Api.Elsa;
using Followup.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Followup.Workflows.Management;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Microsoft.AspNetCore.Mvc;

namespace Followup.Host.Api;

/// <summary>The running side of the Elsa-compatible API under <c>/elsa/api</c>: start a workflow, read instances and their journal.</summary>
public static class WorkflowApi
{
    public const string InstanceIdHeader = "x-elsa-workflow-instance-id";
    public const string CannotStartHeader = "x-elsa-workflow-cannot-start";

    public static RouteGroupBuilder MapWorkflowApi(this RouteGroupBuilder api)
    {
        api.MapPost("/workflow-definitions/{definitionId}/execute", ExecuteAsync).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/workflow-instances", ListInstancesAsync);
        api.MapGet("/workflow-instances/{id}", GetInstanceAsync).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/workflow-instances/{id}/journal", GetJournalAsync).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/tasks/{taskId}/complete", CompleteTaskAsync).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public sealed record CompleteTaskRequest(JsonElement? Result);

    /// <summary>Elsa's run-task completion: the task's workflow resumes with the result as the step's output.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> CompleteTaskAsync(string taskId, [FromBody] CompleteTaskRequest? request, HttpContext context,
        Followup.Activities.Tasks.TaskService tasks, CancellationToken cancellationToken)
    {
        var result = request?.Result is { } r ? Followup.Workflows.Serialization.JsonValues.ToClr(r) : null;
        return await tasks.CompleteRunTaskAsync(taskId, result, context.User.Identity?.Name ?? "api", cancellationToken) switch
        {
            Followup.Activities.Tasks.TaskResult.Done => TypedResults.NoContent(),
            Followup.Activities.Tasks.TaskResult.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Task not found", detail: $"No task '{taskId}'."),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Task already completed", detail: $"Task '{taskId}' is no longer open."),
        };
    }

    public sealed record ExecuteRequest(string? CorrelationId, string? TriggerActivityId, string? VersionOptions, Dictionary<string, JsonElement>? Input);

    private static async Task<Results<Ok<ExecuteResponse>, ProblemHttpResult>> ExecuteAsync(string definitionId, [FromBody] ExecuteRequest? request, IWorkflowRuntime runtime, WorkflowDefinitionCache definitions, WorkflowDefinitionService service, HttpResponse response, CancellationToken cancellationToken)
    {
        // Another host may have published since this one last heard: the stored versions are checked now and then.
        await service.EnsureCurrentAsync(definitionId, cancellationToken);
        var versionOptions = request?.VersionOptions ?? "Published";
        var definition = versionOptions.Equals("Latest", StringComparison.OrdinalIgnoreCase)
            ? definitions.Latest(definitionId)
            : int.TryParse(versionOptions, out var number)
                ? definitions.Versions(definitionId).FirstOrDefault(d => d.Version == number)
                : definitions.Published(definitionId);
        if (definition is null)
        {
            response.Headers[CannotStartHeader] = "true";
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Workflow not found",
                detail: $"No version '{versionOptions}' of workflow '{definitionId}'.");
        }
        var input = request?.Input?.ToDictionary(p => p.Key, p => Followup.Workflows.Serialization.JsonValues.ToClr(p.Value), StringComparer.Ordinal);
        var result = await runtime.StartAsync(new StartWorkflowRequest
        {
            DefinitionVersionId = definition.Id,
            CorrelationId = request?.CorrelationId,
            TriggerActivityId = request?.TriggerActivityId,
            Input = input,
        }, cancellationToken);
        response.Headers[InstanceIdHeader] = result.InstanceId;
        return TypedResults.Ok(new ExecuteResponse(new WorkflowStateView(result.InstanceId, result.DefinitionId, result.DefinitionVersionId, definition.Version,
            result.CorrelationId, result.Status.ToString(), result.SubStatus.ToString(), result.Output,
            result.Incidents.Select(i => new IncidentView(i.ActivityId, i.ActivityType, i.Message, i.Timestamp, null)).ToList())));
    }

    private static async Task<Results<Ok<InstancePage>, ValidationProblem>> ListInstancesAsync(WorkflowQueries store, CancellationToken cancellationToken,
        string? definitionId = null, string? status = null, string? subStatus = null, string? correlationId = null, int page = 0, int pageSize = 50)
    {
        if (page < 0 || pageSize is < 1 or > 1000)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["page"] = ["Page is 0-based and PageSize is between 1 and 1000."] });
        var (items, total) = await store.QueryInstancesAsync(new InstanceQuery
        {
            DefinitionId = definitionId,
            Status = status,
            SubStatus = subStatus,
            CorrelationId = correlationId,
            Page = page,
            PageSize = pageSize,
        }, cancellationToken);
        return TypedResults.Ok(new InstancePage(items.Select(Summary).ToList(), total, page, pageSize));
    }

    private static async Task<Results<Ok<InstanceDetail>, ProblemHttpResult>> GetInstanceAsync(string id, WorkflowQueries store, CancellationToken cancellationToken)
    {
        if (await store.FindInstanceAsync(id, cancellationToken) is not { } record)
            return InstanceNotFound(id);
        var incidents = await store.ListIncidentsAsync(id, cancellationToken);
        return TypedResults.Ok(new InstanceDetail(Summary(record),
            incidents.Select(i => new IncidentView(i.ActivityId, i.ActivityType, i.Message, i.Timestamp.AsUtc(), i.ResolvedAt is { } r ? r.AsUtc() : null)).ToList()));
    }

    private static async Task<Results<Ok<JournalPage>, ProblemHttpResult>> GetJournalAsync(string id, WorkflowQueries store, CancellationToken cancellationToken)
    {
        if (await store.FindInstanceAsync(id, cancellationToken) is null)
            return InstanceNotFound(id);
        var journal = await store.ListJournalAsync(id, cancellationToken);
        return TypedResults.Ok(new JournalPage(journal.Select(j => new JournalEntryView(j.Sequence, j.Timestamp.AsUtc(), j.ActivityId, j.ActivityNodeId, j.ActivityType,
            j.ActivityName, j.EventName, j.Message)).ToList(), journal.Count));
    }

    private static ProblemHttpResult InstanceNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Instance not found", detail: $"No workflow instance '{id}'.");

    private static InstanceSummary Summary(WorkflowInstanceRecord r) => new(r.Id, r.DefinitionId, r.DefinitionVersionId, r.DefinitionVersion, r.CorrelationId, r.Name,
        r.Status, r.SubStatus, r.IncidentCount, r.CreatedAt.AsUtc(), r.UpdatedAt.AsUtc(), r.FinishedAt is { } f ? f.AsUtc() : null);

    /// <summary>The Elsa API route group: JSON in camelCase, staff managers or API keys only.</summary>
    public static RouteGroupBuilder MapElsaApi(this WebApplication app) =>
        app.MapGroup("/elsa/api").RequireAuthorization(Policies.Manager);
}
