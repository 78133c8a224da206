using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Followup.Workflows.Serialization;

namespace Followup.Workflows.Activities.Http;

/// <summary>What both of Elsa's request activities do: send the request and record the response as outputs.</summary>
public abstract class HttpRequestActivity(IHttpClientFactory clients) : Activity
{
    public const string ClientName = "Elsa.Http";

    [Input(Description = "The address to send the request to.")]
    public Input<string> Url { get; set; } = new(null);

    [Input(Description = "The HTTP method.", Options = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"], UIHint = "dropdown", DefaultValue = "GET")]
    public Input<string> Method { get; set; } = new(null);

    [Input(Description = "The content to send: text, or an object sent as JSON.", UIHint = "multiline")]
    public Input<object> Content { get; set; } = new(null);

    [Input(Description = "The content type of the content.")]
    public Input<string> ContentType { get; set; } = new(null);

    [Input(Description = "The Authorization header value, e.g. Bearer ….")]
    public Input<string> Authorization { get; set; } = new(null);

    [Input(Description = "Send the Authorization value as written, without checking its format.")]
    public Input<bool> DisableAuthorizationHeaderValidation { get; set; } = new(null);

    [Input(Description = "Headers to send.")]
    public Input<object> RequestHeaders { get; set; } = new(null);

    [Output(Description = "The status code of the response.")]
    public Output<object>? StatusCode { get; set; }

    [Output(Description = "The response body: parsed JSON, or text.")]
    public Output<object>? ParsedContent { get; set; }

    [Output(Description = "The response headers.")]
    public Output<object>? ResponseHeaders { get; set; }

    [Output(Description = "The response: statusCode, headers and content.")]
    public Output<object>? Result { get; set; }

    /// <summary>Sends the request; a request that gets no response (no connection, a timeout) faults the step with what went wrong.</summary>
    protected async Task<int> SendAsync(ActivityExecutionContext context)
    {
        var url = context.Get(Url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new InvalidOperationException($"{context.Node}: '{url}' is not an http or https address.");
        var method = new HttpMethod((context.Get(Method) is { Length: > 0 } m ? m : "GET").ToUpperInvariant());
        using var request = new HttpRequestMessage(method, uri);
        if (context.Get(Content) is { } content)
        {
            var type = context.Get(ContentType) is { Length: > 0 } t ? t : content is string ? "text/plain" : "application/json";
            var text = content is string s ? s : JsonValues.ToNode(content)?.ToJsonString() ?? "null";
            request.Content = new StringContent(text, Encoding.UTF8, MediaTypeHeaderValue.Parse(type).MediaType ?? "text/plain");
        }
        if (context.Get(Authorization) is { Length: > 0 } authorization)
        {
            if (context.Get(DisableAuthorizationHeaderValidation))
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            else
                request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }
        foreach (var (name, value) in HttpRoutes.Headers(context.Get(RequestHeaders)))
            request.Headers.TryAddWithoutValidation(name, value);

        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(ClientName).SendAsync(request, context.CancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !context.CancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestFailedException($"{method} {uri} got no response: {(ex is TaskCanceledException ? "it timed out" : ex.Message)}", ex);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(context.CancellationToken);
            var responseHeaders = response.Headers.Concat(response.Content.Headers)
                .ToDictionary(h => h.Key, h => (object?)string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            var parsed = Parse(body, response.Content.Headers.ContentType?.MediaType);
            var status = (int)response.StatusCode;
            context.Set(StatusCode, status);
            context.Set(ParsedContent, parsed);
            context.Set(ResponseHeaders, responseHeaders);
            context.Set(Result, new Dictionary<string, object?> { ["statusCode"] = status, ["headers"] = responseHeaders, ["content"] = parsed });
            return status;
        }
    }

    private static object? Parse(string body, string? mediaType)
    {
        if (body.Length == 0)
            return null;
        if (mediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                return JsonValues.ToClr(JsonNode.Parse(body));
            }
            catch (JsonException)
            {
                return body;
            }
        }
        return body;
    }
}

/// <summary>Elsa's SendHttpRequest: sends a request and completes with the response as outputs.</summary>
[Activity("Elsa", "HTTP", "Send an HTTP request.", DisplayName = "HTTP Request")]
public sealed class SendHttpRequest(IHttpClientFactory clients) : HttpRequestActivity(clients)
{
    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        await SendAsync(context);
        await context.CompleteAsync();
    }
}

/// <summary>Elsa's FlowSendHttpRequest: the response's status code is the outcome when it is expected, else "Unmatched status code".</summary>
[Activity("Elsa", "HTTP", "Send an HTTP request; the flow goes on by the response's status code.", DisplayName = "HTTP Request (flow)")]
[FlowNode("Unmatched status code")]
public sealed class FlowSendHttpRequest(IHttpClientFactory clients) : HttpRequestActivity(clients)
{
    public const string Unmatched = "Unmatched status code";

    [Input(Description = "The status codes with a way out of their own, e.g. [200, 404].", UIHint = "multi-text")]
    public Input<List<int>> ExpectedStatusCodes { get; set; } = new(null);

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var status = await SendAsync(context);
        var expected = context.Get(ExpectedStatusCodes) ?? [];
        await context.CompleteAsync(expected.Contains(status) ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : Unmatched);
    }
}

/// <summary>An HTTP request got no response.</summary>
public sealed class HttpRequestFailedException(string message, Exception inner) : Exception(message, inner);
