using System.Net;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Http;

/// <summary>
/// Elsa's WriteHttpResponse: answers the HTTP request that started or resumed this burst. The host sends the answer
/// after the burst is committed; without such a request the activity only notes it in the journal.
/// </summary>
[Activity("Elsa", "HTTP", "Write a response to the current HTTP request.", DisplayName = "HTTP Response")]
public sealed class WriteHttpResponse : CodeActivity
{
    [Input(Description = "The status code, by name (OK, NotFound) or number.", DefaultValue = "OK")]
    public Input<string> StatusCode { get; set; } = new(null);

    [Input(Description = "The content: text, or an object sent as JSON.", UIHint = "multiline")]
    public Input<object> Content { get; set; } = new(null);

    [Input(Description = "The content type; application/json for an object, text/plain for text when empty.")]
    public Input<string> ContentType { get; set; } = new(null);

    [Input(Description = "Headers to add to the response.")]
    public Input<object> ResponseHeaders { get; set; } = new(null);

    protected override ValueTask RunAsync(ActivityExecutionContext context)
    {
        var status = ParseStatus(context.Get(StatusCode), context);
        var response = new HttpResponseData(status, context.Get(Content), context.Get(ContentType), HttpRoutes.Headers(context.Get(ResponseHeaders)));
        if (HttpResponseSlot.Current is { } slot)
            slot.Response = response;
        else
            context.Workflow.AddJournal(context, "Skipped", "no HTTP request to answer");
        return ValueTask.CompletedTask;
    }

    private static int ParseStatus(string? value, ActivityExecutionContext context)
    {
        if (string.IsNullOrWhiteSpace(value))
            return 200;
        if (int.TryParse(value, out var number) && number is >= 100 and <= 599)
            return number;
        return Enum.TryParse<HttpStatusCode>(value, ignoreCase: true, out var code) && !int.TryParse(value, out _)
            ? (int)code
            : throw new InvalidOperationException($"{context.Node}: '{value}' is not an HTTP status code.");
    }
}

/// <summary>The answer a workflow gave to the HTTP request that ran it.</summary>
public sealed record HttpResponseData(int StatusCode, object? Content, string? ContentType, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// Where WriteHttpResponse puts its answer while an HTTP request runs a workflow: the host opens a slot around the run
/// (it flows with the call) and sends what it holds once the run returns.
/// </summary>
public sealed class HttpResponseSlot : IDisposable
{
    private static readonly AsyncLocal<HttpResponseSlot?> Ambient = new();
    private readonly HttpResponseSlot? _outer;

    private HttpResponseSlot()
    {
        _outer = Ambient.Value;
        Ambient.Value = this;
    }

    public static HttpResponseSlot? Current => Ambient.Value;

    public HttpResponseData? Response { get; set; }

    public static HttpResponseSlot Open() => new();

    public void Dispose() => Ambient.Value = _outer;
}
