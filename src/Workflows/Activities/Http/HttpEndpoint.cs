using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Http;

/// <summary>
/// Elsa's HTTP endpoint: a request to <c>/workflows/{path}</c> with one of the methods starts the workflow (as its trigger)
/// or resumes it (waiting inside it). The request's route values, query, headers and parsed body are its outputs.
/// </summary>
[Activity("Elsa", "HTTP", "Wait for an inbound HTTP request that matches the specified path and methods.", DisplayName = "HTTP Endpoint", Kind = ActivityKind.Trigger)]
public sealed class HttpEndpoint : Activity, ITrigger
{
    public const string BookmarkName = "Elsa.HttpEndpoint";

    /// <summary>The workflow input (when it starts one) or resume input that carries the request.</summary>
    public const string RequestKey = "__HttpRequest";

    [Input(Description = "The path below /workflows/ to listen on, e.g. users/{userid}.")]
    public Input<string> Path { get; set; } = new(null);

    [Input(Description = "The HTTP methods to accept (GET when none).", UIHint = "check-list", Options = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"])]
    public Input<List<string>> SupportedMethods { get; set; } = new(null);

    [Input(Description = "Only callers who are signed in (an API key, or a staff session for GET) may call it.")]
    public Input<bool> Authorize { get; set; } = new(null);

    [Input(Description = "With Authorize: the staff role the caller must have (empty for any).")]
    public Input<string> Policy { get; set; } = new(null);

    [Output(Description = "The request body: parsed JSON, form fields, or text.")]
    public Output<object>? ParsedContent { get; set; }

    [Output(Description = "The values of the path's {parameters}.")]
    public Output<object>? RouteData { get; set; }

    [Output(Description = "The query string values.")]
    public Output<object>? QueryStringData { get; set; }

    [Output(Description = "The request headers.")]
    public Output<object>? Headers { get; set; }

    [Output(Description = "The request: path, method, routeData, query, headers and body.")]
    public Output<object>? Result { get; set; }

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.IsTriggerOfWorkflow && context.Workflow.Input.GetValueOrDefault(RequestKey) is { } request)
            return ReceiveAsync(context, request);
        var path = HttpRoutes.Normalize(context.Get(Path)) ?? throw new InvalidOperationException($"{context.Node} has no path.");
        foreach (var method in Methods(context.Get(SupportedMethods)))
            context.CreateBookmark(BookmarkName, new HttpEndpointStimulus(path, method));
        return ValueTask.CompletedTask;
    }

    public override ValueTask ResumeAsync(ActivityExecutionContext context) =>
        ReceiveAsync(context, context.ResumeInput.GetValueOrDefault(RequestKey));

    private ValueTask ReceiveAsync(ActivityExecutionContext context, object? request)
    {
        var fields = request as IDictionary<string, object?> ?? new Dictionary<string, object?>();
        object? Field(string name) => fields.TryGetValue(name, out var value) ? value : null;
        context.Set(ParsedContent, Field("body"));
        context.Set(RouteData, Field("routeData"));
        context.Set(QueryStringData, Field("query"));
        context.Set(Headers, Field("headers"));
        context.Set(Result, request);
        context.ClearBookmarks();
        return context.CompleteAsync();
    }

    public IEnumerable<TriggerPayload> GetTriggerPayloads(TriggerContext context)
    {
        var path = HttpRoutes.Normalize(context.GetLiteral(Path)) ?? throw new TriggerValidationException("An HTTP endpoint needs a path.");
        foreach (var method in Methods(context.GetLiteral(SupportedMethods)))
            yield return new TriggerPayload(BookmarkName, new HttpEndpointStimulus(path, method));
    }

    internal static IEnumerable<string> Methods(IEnumerable<string>? methods)
    {
        var list = (methods ?? []).Where(m => !string.IsNullOrWhiteSpace(m)).Select(m => m.Trim().ToUpperInvariant()).Distinct().ToList();
        return list.Count == 0 ? ["GET"] : list;
    }
}

/// <summary>What an HTTP endpoint waits for: the path template as written (normalized) and one method.</summary>
public sealed record HttpEndpointStimulus(string Path, string Method);
