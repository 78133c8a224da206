using System.Text.Json;
using System.Text.Json.Nodes;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Configuration;
using Followup.Workflows.Runtime;
using Followup.Workflows.Serialization;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Tasks;

/// <summary>
/// Elsa's RunTask: asks for a named task to be run with a payload and waits for its result. In Followup the request is
/// a task in the inbox for the role configured for its name (<see cref="RunTaskOptions"/>), so people can do it, and
/// an integration completes it through <c>POST /elsa/api/tasks/{taskId}/complete</c> with <c>{ "result": … }</c>.
/// </summary>
[Activity("Elsa", "Composition", "Runs a task by name with a payload and waits for its result: in the inbox of the role set for the name, or completed by an integration.", DisplayName = "Run Task")]
public sealed class RunTask : WaitingActivity
{
    public const string ResultField = "result";

    private readonly TaskInbox _inbox;
    private readonly RunTaskOptions _options;

    public RunTask(TaskInbox inbox, IOptions<RunTaskOptions> options)
    {
        (_inbox, _options) = (inbox, options.Value);
        When(HumanTask.BookmarkName, OnCompletedAsync);
    }

    [Input(Description = "The name of the task to run; it picks the role whose inbox shows it.")]
    public Input<string> TaskName { get; set; } = new(null);

    [Input(Description = "What the task needs, shown with it (a 'description' entry is its instructions).")]
    public Input<object> Payload { get; set; } = new(null);

    [Output(Description = "The result the task was completed with.")]
    public Output<object>? Result { get; set; }

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var name = context.Get(TaskName) is { Length: > 0 } n ? n : throw new InvalidOperationException($"{context.Node} names no task to run.");
        var payload = JsonValues.ToNode(context.Get(Payload));
        var instructions = payload is JsonObject o && o["description"] is JsonValue d
            ? d.ToString()
            : payload?.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var form = TaskForm.Parse(
            $$"""{ "fields": [ { "name": "{{ResultField}}", "type": "multiline", "label": { "zh-CN": "结果", "en": "Result" } } ] }""", ["Done"]);
        _inbox.Open(context, new TaskSpec(name, instructions, "en", form, _options.RoleFor(name)));
        return ValueTask.CompletedTask;
    }

    private async ValueTask OnCompletedAsync(ActivityExecutionContext context)
    {
        if (await _inbox.CompletedAsync(context) is null)
            return;
        var values = context.ResumeInput.GetValueOrDefault(TaskDecision.Values);
        context.Set(Result, values is IDictionary<string, object?> fields && fields.TryGetValue(ResultField, out var result) ? result : values);
        context.ClearBookmarks();
        await context.CompleteAsync();
    }
}

/// <summary>Which role's inbox shows a run-task request, by task name; <see cref="DefaultRole"/> for any other name.</summary>
public sealed class RunTaskOptions : ICheckedOptions
{
    public const string SectionName = "RunTasks";

    private static readonly string[] KnownRoles = ["Advisor", "Technician", "TechnicalLead", "CallbackAgent", "Manager"];

    public string DefaultRole { get; set; } = "Manager";

    public Dictionary<string, string> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public string RoleFor(string taskName) => Roles.TryGetValue(taskName, out var role) ? role : DefaultRole;

    public IEnumerable<string> Problems()
    {
        foreach (var (name, role) in Roles.Append(new KeyValuePair<string, string>(nameof(DefaultRole), DefaultRole)))
        {
            if (!KnownRoles.Contains(role, StringComparer.Ordinal))
                yield return $"{(name == nameof(DefaultRole) ? name : $"{nameof(Roles)}:{name}")}: one of {string.Join(", ", KnownRoles)}.";
        }
    }
}
