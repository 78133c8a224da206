using System.Text.Json;
using System.Text.Json.Nodes;
using Followup.Host.Security;
using Followup.Workflows.Activities.Http;
using Followup.Workflows.Management;
using Followup.Workflows.Runtime;
using Followup.Workflows.Serialization;
using Microsoft.AspNetCore.Authentication;

namespace Followup.Host.Api;

/// <summary>
/// Workflows called over HTTP (Elsa's HTTP Endpoint): a request to <c>/workflows/{path}</c> starts or resumes the
/// workflows whose endpoint matches its path and method, and gets the answer their WriteHttpResponse gave.
/// </summary>
public static class HttpWorkflows
{
    private const long MaxBodyBytes = 1024 * 1024;

    public const string RateLimitPolicy = "http-workflows";

    /// <summary>
    /// At most <c>HttpWorkflows:RequestsPerMinute</c> requests a minute (120 unless set) from one address: an endpoint
    /// open to anyone starts work on the server.
    /// </summary>
    public static IServiceCollection AddHttpWorkflows(this IServiceCollection services) =>
        services.AddPerAddressLimit(RateLimitPolicy, "HttpWorkflows:RequestsPerMinute", 120);

    public static WebApplication MapHttpWorkflows(this WebApplication app)
    {
        app.Map("/workflows/{**path}", HandleAsync).DisableAntiforgery().RequireRateLimiting(RateLimitPolicy).WithTags("Workflows over HTTP");
        return app;
    }

    private static async Task<IResult> HandleAsync(string? path, HttpContext http, WorkflowDefinitionCache definitions, IWorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        var method = http.Request.Method.ToUpperInvariant();
        var requested = (path ?? "").Trim('/');
        IResult NoWorkflow() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No workflow answers this request",
            detail: $"No published or waiting workflow has an HTTP endpoint for {method} /workflows/{requested}.");
        var matches = HttpRoutes.Of(definitions.All())
            .Select(r => (Route: r, Values: HttpRoutes.Match(r.Path, requested)))
            .Where(m => m.Values != null && m.Route.Methods.Contains(method))
            .ToList();
        if (matches.Count == 0)
            return NoWorkflow();
        // The most specific template wins (fewest parameters), as in routing.
        var (route, values) = matches.OrderBy(m => m.Route.Path.Count(c => c == '{')).First();
        if (route.Authorize && !await AuthorizedAsync(http, route.Policy, method))
            return http.User.Identity?.IsAuthenticated == true || http.Request.Headers.Authorization.Count > 0
                ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: "This workflow endpoint needs another role.")
                : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in required", detail: "This workflow endpoint needs an API key (Authorization: ApiKey …).");

        object? body;
        try
        {
            body = await ReadBodyAsync(http.Request, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unreadable request body", detail: ex.Message);
        }
        var request = new Dictionary<string, object?>
        {
            ["path"] = "/" + requested,
            ["method"] = method,
            ["routeData"] = values,
            ["query"] = http.Request.Query.ToDictionary(q => q.Key, q => (object?)q.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            ["headers"] = http.Request.Headers.Where(h => !h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(h => h.Key, h => (object?)h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            ["body"] = body,
        };

        using var slot = HttpResponseSlot.Open();
        var results = await runtime.TriggerAsync(HttpEndpoint.BookmarkName, new HttpEndpointStimulus(route.Path, method),
            new TriggerOptions { Input = new Dictionary<string, object?> { [HttpEndpoint.RequestKey] = request } }, cancellationToken);
        if (results.Count == 0)
            return NoWorkflow();
        foreach (var result in results)
            http.Response.Headers.Append(WorkflowApi.InstanceIdHeader, result.InstanceId);
        if (slot.Response is { } response)
            return Answer(response);
        if (results.FirstOrDefault(r => r.SubStatus == WorkflowSubStatus.Faulted) is { } faulted)
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "The workflow faulted",
                detail: string.Join(" ", faulted.Incidents.Select(i => i.Message)), extensions: new Dictionary<string, object?> { ["workflowInstanceId"] = faulted.InstanceId });
        return TypedResults.Ok();
    }

    /// <summary>An API key always; a staff session only for GET and HEAD, which a page on another site cannot misuse to change anything.</summary>
    private static async Task<bool> AuthorizedAsync(HttpContext http, string? role, string method)
    {
        var schemes = HttpMethods.IsGet(method) || HttpMethods.IsHead(method)
            ? new[] { ApiKeyAuthenticationHandler.SchemeName, Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme }
            : [ApiKeyAuthenticationHandler.SchemeName];
        foreach (var scheme in schemes)
        {
            var result = await http.AuthenticateAsync(scheme);
            if (result.Succeeded && (role is null || result.Principal.IsInRole(role)))
                return true;
        }
        return false;
    }

    private static async Task<object?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0 || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            return null;
        if (request.ContentLength > MaxBodyBytes)
            throw new InvalidDataException($"The body is larger than {MaxBodyBytes} bytes.");
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return form.ToDictionary(f => f.Key, f => (object?)f.Value.ToString(), StringComparer.Ordinal);
        }
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (text.Length == 0)
            return null;
        return request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true ? JsonValues.ToClr(JsonNode.Parse(text)) : text;
    }

    private static IResult Answer(HttpResponseData response)
    {
        var content = response.Content;
        var type = response.ContentType is { Length: > 0 } t ? t : content is string ? "text/plain; charset=utf-8" : "application/json; charset=utf-8";
        var text = content switch
        {
            null => "",
            string s => s,
            _ => JsonValues.ToNode(content)?.ToJsonString() ?? "null",
        };
        return new WorkflowAnswer(response.StatusCode, text, type, response.Headers);
    }

    private sealed class WorkflowAnswer(int status, string body, string contentType, IReadOnlyDictionary<string, string> headers) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            foreach (var (name, value) in headers)
                httpContext.Response.Headers[name] = value;
            httpContext.Response.StatusCode = status;
            if (body.Length == 0)
                return;
            httpContext.Response.ContentType = contentType;
            await httpContext.Response.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}
