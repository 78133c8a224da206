using System.Text.Json;
using Followup.Host.Security;
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
        api.MapPost("/workflow-definitions/{definitionId}/execute", ExecuteAsync);
        api.MapGet("/workflow-instances", ListInstancesAsync);
        api.MapGet("/workflow-instances/{id}", GetInstanceAsync);
        api.MapGet("/workflow-instances/{id}/journal", GetJournalAsync);
        return api;
    }

    public sealed record ExecuteRequest(string? CorrelationId, string? TriggerActivityId, string? VersionOptions, Dictionary<string, JsonElement>? Input);

    private static async Task<IResult> ExecuteAsync(string definitionId, [FromBody] ExecuteRequest? request, IWorkflowRuntime runtime, WorkflowDefinitionCache definitions, HttpResponse response, CancellationToken cancellationToken)
    {
        var versionOptions = request?.VersionOptions ?? "Published";
        var definition = versionOptions.Equals("Latest", StringComparison.OrdinalIgnoreCase)
            ? definitions.Latest(definitionId)
            : int.TryParse(versionOptions, out var number)
                ? definitions.Versions(definitionId).FirstOrDefault(d => d.Version == number)
                : definitions.Published(definitionId);
        if (definition is null)
        {
            response.Headers[CannotStartHeader] = "true";
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Workflow not found",
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
        return Results.Ok(new
        {
            workflowState = new
            {
                id = result.InstanceId,
                definitionId = result.DefinitionId,
                definitionVersionId = result.DefinitionVersionId,
                definitionVersion = definition.Version,
                correlationId = result.CorrelationId,
                status = result.Status.ToString(),
                subStatus = result.SubStatus.ToString(),
                output = result.Output,
                incidents = result.Incidents.Select(i => new { i.ActivityId, i.ActivityType, i.Message, i.Timestamp }),
            },
        });
    }

    private static async Task<IResult> ListInstancesAsync(WorkflowQueries store, CancellationToken cancellationToken,
        string? definitionId = null, string? status = null, string? subStatus = null, string? correlationId = null, int page = 0, int pageSize = 50)
    {
        if (page < 0 || pageSize is < 1 or > 1000)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["page"] = ["Page is 0-based and PageSize is between 1 and 1000."] });
        var (items, total) = await store.QueryInstancesAsync(new InstanceQuery
        {
            DefinitionId = definitionId,
            Status = status,
            SubStatus = subStatus,
            CorrelationId = correlationId,
            Page = page,
            PageSize = pageSize,
        }, cancellationToken);
        return Results.Ok(new { items = items.Select(Summary), totalCount = total, page, pageSize });
    }

    private static async Task<IResult> GetInstanceAsync(string id, WorkflowQueries store, CancellationToken cancellationToken)
    {
        if (await store.FindInstanceAsync(id, cancellationToken) is not { } record)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Instance not found", detail: $"No workflow instance '{id}'.");
        var incidents = await store.ListIncidentsAsync(id, cancellationToken);
        return Results.Ok(new
        {
            instance = Summary(record),
            incidents = incidents.Select(i => new { i.ActivityId, i.ActivityType, i.Message, timestamp = i.Timestamp.AsUtc(), resolvedAt = i.ResolvedAt is { } r ? r.AsUtc() : (DateTimeOffset?)null }),
        });
    }

    private static async Task<IResult> GetJournalAsync(string id, WorkflowQueries store, CancellationToken cancellationToken)
    {
        if (await store.FindInstanceAsync(id, cancellationToken) is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Instance not found", detail: $"No workflow instance '{id}'.");
        var journal = await store.ListJournalAsync(id, cancellationToken);
        return Results.Ok(new
        {
            items = journal.Select(j => new
            {
                j.Sequence,
                timestamp = j.Timestamp.AsUtc(),
                j.ActivityId,
                j.ActivityNodeId,
                j.ActivityType,
                j.ActivityName,
                j.EventName,
                j.Message,
            }),
            totalCount = journal.Count,
        });
    }

    private static object Summary(WorkflowInstanceRecord r) => new
    {
        id = r.Id,
        definitionId = r.DefinitionId,
        definitionVersionId = r.DefinitionVersionId,
        version = r.DefinitionVersion,
        correlationId = r.CorrelationId,
        name = r.Name,
        status = r.Status,
        subStatus = r.SubStatus,
        incidentCount = r.IncidentCount,
        createdAt = r.CreatedAt.AsUtc(),
        updatedAt = r.UpdatedAt.AsUtc(),
        finishedAt = r.FinishedAt is { } f ? f.AsUtc() : (DateTimeOffset?)null,
    };

    /// <summary>The Elsa API route group: JSON in camelCase, staff managers or API keys only.</summary>
    public static RouteGroupBuilder MapElsaApi(this WebApplication app) =>
        app.MapGroup("/elsa/api").RequireAuthorization(Policies.Manager);
}
