using System.Text.Json;
using System.Text.Json.Nodes;
using Followup.Host.Api.Elsa;
using Microsoft.AspNetCore.Http.HttpResults;
using Followup.Workflows.Definitions;
using Followup.Workflows.Management;
using Followup.Workflows.Runtime;
using Microsoft.AspNetCore.Mvc;

namespace Followup.Host.Api;

/// <summary>
/// The designing side of the Elsa-compatible API that Elsa Studio calls: definitions (read, list, save, publish,
/// retract, versions, import, export, delete) and the descriptor lists built from the engine's registry.
/// </summary>
public static class DefinitionsApi
{
    public static RouteGroupBuilder MapDefinitionsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/workflow-definitions/by-definition-id/{definitionId}", GetByDefinitionId).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/workflow-definitions/{definitionId}", GetByDefinitionId).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/workflow-definitions/by-id/{id}", Results<Ok<JsonObject>, ProblemHttpResult> (string id, WorkflowDefinitionCache cache) =>
            cache.FindVersion(id) is { } d ? TypedResults.Ok(Definition(d)) : NotFound($"No workflow version '{id}'.")).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/workflow-definitions", List);
        api.MapGet("/workflow-definitions/validation/is-name-unique", (string name, string? definitionId, WorkflowDefinitionCache cache) =>
            TypedResults.Ok(new NameUniqueness(!cache.All().Any(d => d.IsLatest && d.DefinitionId != definitionId && string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)))));
        api.MapPost("/workflow-definitions", SaveAsync);
        api.MapPost("/workflow-definitions/import", ImportAsync);
        api.MapPost("/workflow-definitions/{definitionId}/publish", PublishAsync).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/workflow-definitions/{definitionId}/retract", RetractAsync).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/workflow-definitions/{definitionId}/revert/{version:int}", RevertAsync).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/workflow-definitions/{definitionId}/export", Export).Produces<JsonObject>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/workflow-definitions/{definitionId}", async Task<Results<NoContent, ProblemHttpResult>> (string definitionId, WorkflowDefinitionService service, CancellationToken ct) =>
            await service.DeleteAsync(definitionId, ct) ? TypedResults.NoContent() : NotFound($"No workflow '{definitionId}'.")).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/workflow-definition-versions/{id}", DeleteVersionAsync).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/bulk-actions/delete/workflow-definitions/by-id", BulkDeleteVersionsAsync);
        api.MapPost("/scripting/javascript/type-definitions/{definitionId}", () => TypedResults.Text("", "application/x-typescript"))
            .Produces<string>(StatusCodes.Status200OK, "application/x-typescript");
        api.MapGet("/features/installed", () => TypedResults.Ok(new ElsaList<string>([])));
        api.MapDescriptors();
        return api;
    }

    // ---------------------------------------------------------------- reading

    private static Results<Ok<JsonObject>, ProblemHttpResult> GetByDefinitionId(string definitionId, WorkflowDefinitionCache cache, string? versionOptions = null) =>
        Pick(cache, definitionId, versionOptions ?? "Latest") is { } d
            ? TypedResults.Ok(Definition(d))
            : NotFound($"No workflow '{definitionId}' ({versionOptions ?? "Latest"}).");

    private static WorkflowDefinition? Pick(WorkflowDefinitionCache cache, string definitionId, string versionOptions) => versionOptions switch
    {
        "Published" => cache.Published(definitionId),
        "LatestOrPublished" => cache.Latest(definitionId) ?? cache.Published(definitionId),
        "Draft" => cache.Versions(definitionId).FirstOrDefault(d => d.IsLatest && !d.IsPublished),
        _ when int.TryParse(versionOptions, out var n) => cache.Versions(definitionId).FirstOrDefault(d => d.Version == n),
        _ => cache.Latest(definitionId),
    };

    private static Results<Ok<DefinitionPage>, ValidationProblem> List(HttpRequest request, WorkflowDefinitionCache cache, string? versionOptions = null, string? searchTerm = null,
        int page = 0, int pageSize = 100, string? orderBy = null, string? orderDirection = null)
    {
        if (page < 0 || pageSize < 1)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Page"] = ["Page is 0-based; PageSize is at least 1."] });
        var definitionIds = request.Query["DefinitionIds"].Where(v => v != null).Select(v => v!).ToHashSet(StringComparer.Ordinal);
        var ids = request.Query["Ids"].Where(v => v != null).Select(v => v!).ToHashSet(StringComparer.Ordinal);
        IEnumerable<WorkflowDefinition> items = cache.All();
        items = (versionOptions ?? "Latest") switch
        {
            "AllVersions" => items,
            "Published" => items.Where(d => d.IsPublished),
            "LatestOrPublished" or "LatestAndPublished" => items.Where(d => d.IsLatest || d.IsPublished),
            "Draft" => items.Where(d => d.IsLatest && !d.IsPublished),
            var v when int.TryParse(v, out var n) => items.Where(d => d.Version == n),
            _ => items.Where(d => d.IsLatest),
        };
        if (definitionIds.Count > 0)
            items = items.Where(d => definitionIds.Contains(d.DefinitionId));
        if (ids.Count > 0)
            items = items.Where(d => ids.Contains(d.Id));
        if (!string.IsNullOrWhiteSpace(searchTerm))
            items = items.Where(d => (d.Name ?? d.DefinitionId).Contains(searchTerm, StringComparison.OrdinalIgnoreCase) || (d.Description ?? "").Contains(searchTerm, StringComparison.OrdinalIgnoreCase));
        Func<WorkflowDefinition, object> key = orderBy switch
        {
            "Version" => d => d.Version,
            "Created" => d => d.CreatedAt,
            _ => d => d.Name ?? d.DefinitionId,
        };
        var ordered = (orderDirection == "Descending" ? items.OrderByDescending(key) : items.OrderBy(key)).ToList();
        return TypedResults.Ok(new DefinitionPage(ordered.Skip(page * pageSize).Take(pageSize).Select(Summary).ToList(), ordered.Count,
            [new ElsaLink("/bulk-actions/publish/workflow-definitions", "bulk-publish", "POST")]));
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Export(string definitionId, WorkflowDefinitionCache cache, WorkflowDefinitionService service, string? versionOptions = null)
    {
        if (Pick(cache, definitionId, versionOptions ?? "Latest") is not { } definition)
            return NotFound($"No workflow '{definitionId}' ({versionOptions}).");
        var bytes = JsonSerializer.SerializeToUtf8Bytes(service.Export(definition), ApiJson.Indented);
        var name = string.Concat((definition.Name ?? definition.DefinitionId).Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '-' : c));
        return TypedResults.File(bytes, "application/json", $"{name}.json");
    }

    // ---------------------------------------------------------------- writing

    public sealed record SaveRequest(JsonObject? Model, bool? Publish);

    private static async Task<Results<Ok<SavedDefinition>, ValidationProblem>> SaveAsync([FromBody] SaveRequest request, WorkflowDefinitionService service, WorkflowDefinitionCache cache, IIdentityGenerator ids,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request.Model is not { } model)
            return Invalid("model", "The request has no workflow definition.");
        if (model["root"] is not JsonObject)
            return Invalid("model.root", "The workflow has no root activity.");
        if (string.IsNullOrWhiteSpace(model["definitionId"]?.GetValue<string>()))
            model["definitionId"] = ids.NewId();
        if (string.IsNullOrWhiteSpace(model["id"]?.GetValue<string>()))
            model["id"] = ids.NewId();
        // A save makes a version now: its history shows when, not the time of the version it was edited from.
        model["createdAt"] = clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var definitionId = model["definitionId"]!.GetValue<string>();
        var alreadyPublished = request.Publish == true && cache.Latest(definitionId) is { IsPublished: true };
        try
        {
            var saved = await service.ImportAsync(model.ToJsonString(), ImportMode.NewVersion, publish: request.Publish == true, cancellationToken);
            return TypedResults.Ok(new SavedDefinition(Definition(saved), alreadyPublished, 0, []));
        }
        catch (WorkflowValidationException ex)
        {
            return Invalid("model", [.. ex.Errors]);
        }
    }

    private static async Task<Results<Ok<JsonObject>, ValidationProblem>> ImportAsync([FromBody] JsonObject model, WorkflowDefinitionService service, IIdentityGenerator ids, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(model["definitionId"]?.GetValue<string>()))
            model["definitionId"] = ids.NewId();
        if (string.IsNullOrWhiteSpace(model["id"]?.GetValue<string>()))
            model["id"] = ids.NewId();
        try
        {
            return TypedResults.Ok(Definition(await service.ImportAsync(model.ToJsonString(), ImportMode.NewVersion, publish: false, cancellationToken)));
        }
        catch (WorkflowValidationException ex)
        {
            return Invalid("model", [.. ex.Errors]);
        }
    }

    private static async Task<Results<Ok<SavedDefinition>, ValidationProblem, ProblemHttpResult>> PublishAsync(string definitionId, WorkflowDefinitionService service, WorkflowDefinitionCache cache, CancellationToken cancellationToken)
    {
        if (cache.Latest(definitionId) is null)
            return NotFound($"No workflow '{definitionId}'.");
        var alreadyPublished = cache.Latest(definitionId) is { IsPublished: true };
        var result = await service.PublishAsync(definitionId, cancellationToken);
        if (!result.Succeeded)
            return Invalid("model", [.. result.Errors]);
        return TypedResults.Ok(new SavedDefinition(Definition(result.Definition!), alreadyPublished, 0, null));
    }

    private static async Task<Results<Ok<JsonObject>, ValidationProblem, ProblemHttpResult>> RetractAsync(string definitionId, WorkflowDefinitionService service, WorkflowDefinitionCache cache, CancellationToken cancellationToken)
    {
        if (cache.Published(definitionId) is null)
        {
            if (cache.Latest(definitionId) is null)
                return NotFound($"No workflow '{definitionId}'.");
            return Invalid("definitionId", "The workflow is not published.");
        }
        await service.RetractAsync(definitionId, cancellationToken);
        return TypedResults.Ok(Definition(cache.Latest(definitionId)!));
    }

    private static async Task<Results<Ok<DefinitionSummary>, ProblemHttpResult>> RevertAsync(string definitionId, int version, WorkflowDefinitionService service, CancellationToken cancellationToken) =>
        await service.RevertAsync(definitionId, version, cancellationToken) is { } reverted
            ? TypedResults.Ok(Summary(reverted))
            : NotFound($"No version {version} of workflow '{definitionId}'.");

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteVersionAsync(string id, WorkflowDefinitionService service, WorkflowDefinitionCache cache, CancellationToken cancellationToken) =>
        cache.FindVersion(id) is { } version && await service.DeleteVersionAsync(version.DefinitionId, version.Version, cancellationToken)
            ? TypedResults.NoContent()
            : NotFound($"No workflow version '{id}' that can be deleted.");

    public sealed record BulkIds(string[]? Ids);

    private static async Task<Ok<DeletedCount>> BulkDeleteVersionsAsync([FromBody] BulkIds request, WorkflowDefinitionService service, WorkflowDefinitionCache cache, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var id in request.Ids ?? [])
        {
            if (cache.FindVersion(id) is { } version && await service.DeleteVersionAsync(version.DefinitionId, version.Version, cancellationToken))
                deleted++;
        }
        return TypedResults.Ok(new DeletedCount(deleted));
    }

    // ---------------------------------------------------------------- shapes

    /// <summary>The stored Elsa JSON with the flags and links the designer needs to edit it (a <c>publish</c> link on the latest version).</summary>
    public static JsonObject Definition(WorkflowDefinition d)
    {
        var json = d.Json.DeepClone().AsObject();
        json["id"] = d.Id;
        json["definitionId"] = d.DefinitionId;
        json["version"] = d.Version;
        json["isLatest"] = d.IsLatest;
        json["isPublished"] = d.IsPublished;
        json["isReadonly"] = false;
        json["isSystem"] = false;
        json["materializerName"] = "Json";
        json["createdAt"] = d.CreatedAt;
        // A definition the designer created bare (options, variables, … null) comes back with Elsa's empty values: the editor reads them.
        json["options"] ??= new JsonObject { ["autoUpdateConsumingWorkflows"] = false };
        foreach (var list in (string[])["variables", "inputs", "outputs", "outcomes"])
            json[list] ??= new JsonArray();
        json["customProperties"] ??= new JsonObject();
        json["toolVersion"] ??= "3.8.0.0";
        json["links"] = JsonSerializer.SerializeToNode(Links(d), ApiJson.Options);
        return json;
    }

    private static DefinitionSummary Summary(WorkflowDefinition d) =>
        new(d.Id, d.DefinitionId, d.Name, d.Description, d.Version, "3.8.0.0", d.IsLatest, d.IsPublished, "Json", true, null, d.CreatedAt, false, Links(d));

    private static ElsaLink[] Links(WorkflowDefinition d) => d.IsLatest
        ?
        [
            Link($"/workflow-definitions/{d.DefinitionId}", "self", "GET"),
            Link($"/workflow-definitions/{d.DefinitionId}/publish", "publish", "POST"),
            Link($"/workflow-definitions/{d.DefinitionId}/retract", "retract", "POST"),
        ]
        : [Link($"/workflow-definitions/by-id/{d.Id}", "self", "GET")];

    private static ElsaLink Link(string href, string rel, string method) => new(href, rel, method);

    private static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    private static ValidationProblem Invalid(string field, params string[] errors) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = errors }, detail: string.Join(" ", errors), title: "The workflow was not saved.");
}

internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
    public static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
