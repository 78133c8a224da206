using System.Text.Json;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Expressions;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Tasks;

/// <summary>
/// A step done by a person: creates a task in the inbox for a role or a person, waits, and continues with the action
/// chosen as its outcome and the submitted values as its output. When the task is overdue it is escalated to another role.
/// </summary>
[Activity("Followup", "People", "A task for an advisor, technician or callback agent, worked from the inbox.", DisplayName = "Human task")]
public sealed class HumanTask(LiquidEvaluator liquid) : Activity
{
    public const string BookmarkName = "Followup.HumanTask";
    public const string OverdueBookmarkName = "Followup.HumanTask.Overdue";

    [Input(DisplayName = "Title (中文)", Description = "Text or Liquid template, rendered once.")]
    public Input<string> TitleZhCn { get; set; } = new(null);

    [Input(DisplayName = "Title (English)", Description = "Text or Liquid template, rendered once.")]
    public Input<string> TitleEn { get; set; } = new(null);

    [Input(DisplayName = "Instructions (中文)", Description = "Text or Liquid template, rendered once.", UIHint = "multiline")]
    public Input<string> InstructionsZhCn { get; set; } = new(null);

    [Input(DisplayName = "Instructions (English)", Description = "Text or Liquid template, rendered once.", UIHint = "multiline")]
    public Input<string> InstructionsEn { get; set; } = new(null);

    [Input(Description = "The language the task is written in for staff (zh-CN or en).", DefaultValue = "zh-CN")]
    public Input<string> Language { get; set; } = new(null);

    [Input(Description = "The form: { \"fields\": [{ \"name\", \"label\": { \"zh-CN\", \"en\" }, \"type\", \"required\", \"options\" }] }. Types: text, multiline, number, money, datetime, choice, multichoice, checkbox, acknowledgement.", UIHint = "json-editor")]
    public Input<string> Form { get; set; } = new(null);

    [Input(Description = "The actions that complete the task; each is an outcome.", UIHint = "dynamic-outcomes", DefaultValue = "[\"Done\"]")]
    public Input<List<string>> Actions { get; set; } = new(null);

    [Input(Description = "The role whose members see the task: Advisor, Technician, CallbackAgent or Manager.", Options = ["Advisor", "Technician", "CallbackAgent", "Manager"], UIHint = "dropdown", DefaultValue = "Advisor")]
    public Input<string> AssigneeRole { get; set; } = new(null);

    [Input(Description = "A person (user name) the task is for, instead of a whole role.")]
    public Input<string> Assignee { get; set; } = new(null);

    [Input(Description = "Time allowed (SLA), e.g. 00:15:00; empty for none.")]
    public Input<TimeSpan?> DueIn { get; set; } = new(null);

    [Input(Description = "The role an overdue task is escalated to.", Options = ["Manager", "Advisor", "Technician", "CallbackAgent"], UIHint = "dropdown", DefaultValue = "Manager")]
    public Input<string> EscalateToRole { get; set; } = new(null);

    [Output(Description = "The submitted values, by field name.")]
    public Output<object>? Values { get; set; }

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var language = context.Get(Language) == "en" ? "en" : "zh-CN";
        var (_, title) = Messaging.Outbox.Choose(language, liquid.RenderTemplate(TitleZhCn, context), liquid.RenderTemplate(TitleEn, context));
        var (_, instructions) = Messaging.Outbox.Choose(language, liquid.RenderTemplate(InstructionsZhCn, context), liquid.RenderTemplate(InstructionsEn, context));
        HumanTasks.Open(context, new TaskSpec(
            string.IsNullOrEmpty(title) ? context.Node.Name ?? context.Node.Id : title,
            string.IsNullOrEmpty(instructions) ? null : instructions,
            language,
            TaskForm.Parse(context.Get(Form), context.Get(Actions)),
            context.Get(AssigneeRole),
            context.Get(Assignee),
            context.Get(DueIn),
            context.Get(EscalateToRole)));
        return ValueTask.CompletedTask;
    }

    public override async ValueTask ResumeAsync(ActivityExecutionContext context)
    {
        if (await HumanTasks.ResumedTaskAsync(context) is not { } task)
            return;
        context.Set(Values, context.ResumeInput.GetValueOrDefault("Values"));
        context.ClearBookmarks();
        await context.CompleteAsync(task.Outcome ?? "Done");
    }
}

/// <summary>What a task is: its text, form, who works it and its SLA.</summary>
public sealed record TaskSpec(string Title, string? Instructions, string Language, TaskForm Form, string? Role, string? User = null, TimeSpan? DueIn = null, string? EscalateTo = "Manager");

/// <summary>Opening an inbox task from any activity, and telling its completion from its overdue timer when the activity resumes.</summary>
public static class HumanTasks
{
    public static HumanTaskRecord Open(ActivityExecutionContext context, TaskSpec spec)
    {
        var taskId = context.Workflow.NewId();
        var bookmark = context.CreateBookmark(HumanTask.BookmarkName, new { TaskId = taskId });
        var now = context.Clock.GetUtcNow();
        var dueAt = spec.DueIn is { } dueIn && dueIn > TimeSpan.Zero ? now + dueIn : (DateTimeOffset?)null;
        if (dueAt != null)
            context.CreateBookmark(HumanTask.OverdueBookmarkName, new { TaskId = taskId }, dueAt, includeActivityInstanceId: true);
        context.SetProperty("TaskId", taskId);
        var task = new HumanTaskRecord
        {
            Id = taskId,
            InstanceId = context.Workflow.InstanceId,
            CorrelationId = context.Workflow.CorrelationId,
            ActivityId = context.Node.Id,
            BookmarkId = bookmark.Id,
            Title = spec.Title,
            Instructions = spec.Instructions,
            Language = spec.Language,
            Form = spec.Form.ToJson(),
            AssigneeRole = spec.Role,
            AssigneeUser = spec.User is { Length: > 0 } user ? user : null,
            DueAt = dueAt?.UtcDateTime,
            EscalateToRole = spec.EscalateTo,
            CreatedAt = now.UtcDateTime,
        };
        context.Workflow.Records.Insert(task);
        return task;
    }

    /// <summary>
    /// The completed task the activity resumed for; null when it resumed for something else. An overdue timer escalates
    /// the open task to its escalation role (once) and also gives null.
    /// </summary>
    public static async Task<HumanTaskRecord?> ResumedTaskAsync(ActivityExecutionContext context)
    {
        if (context.ResumedBookmark?.Name is not (HumanTask.BookmarkName or HumanTask.OverdueBookmarkName) || context.GetProperty<string>("TaskId") is not { } taskId)
            return null;
        var task = await context.GetRequiredService<TaskStore>().FindAsync(taskId, context.CancellationToken);
        if (task is null || context.ResumedBookmark.Name == HumanTask.BookmarkName)
        {
            // Done: its SLA timer must not escalate a task the same step opens next.
            context.ClearBookmarks(HumanTask.OverdueBookmarkName);
            if (task is { Status: HumanTaskStatus.Open })
                Complete(context, task);
            return task;
        }
        if (task.Status == HumanTaskStatus.Open && task.EscalatedAt is null)
        {
            task.EscalatedAt = context.Clock.GetUtcNow().UtcDateTime;
            task.AssigneeRole = task.EscalateToRole ?? task.AssigneeRole;
            task.AssigneeUser = null;
            task.ClaimedBy = null;
            context.Workflow.Records.Update(task);
            context.Workflow.AddJournal(context, "Escalated", task.AssigneeRole);
        }
        return null;
    }

    /// <summary>The person's decision, written with the burst that carries it on: the task is completed exactly when its workflow moves on.</summary>
    private static void Complete(ActivityExecutionContext context, HumanTaskRecord task)
    {
        var input = context.ResumeInput;
        task.Status = HumanTaskStatus.Completed;
        task.Outcome = input.GetValueOrDefault(TaskDecision.Action) as string ?? "Done";
        task.Result = JsonSerializer.Serialize(input.GetValueOrDefault(TaskDecision.Values), TaskJson.Options);
        task.CompletedBy = input.GetValueOrDefault(TaskDecision.CompletedBy) as string;
        task.CompletedAt = context.Clock.GetUtcNow().UtcDateTime;
        context.Workflow.Records.Update(task);
    }
}
