using System.Text.Json;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Tasks;

/// <summary>
/// A step's task in the inbox: opening it (with its SLA timer), taking a person's decision on it, and escalating it
/// when it is overdue. Any activity that waits for a person uses it: the step names the task's two bookmarks
/// (<see cref="HumanTask.BookmarkName"/>, <see cref="HumanTask.OverdueBookmarkName"/>) in its <c>When</c> list.
/// </summary>
public sealed class TaskInbox(TaskStore store)
{
    public HumanTaskRecord Open(ActivityExecutionContext context, TaskSpec spec)
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
            TitleOther = spec.TitleOther,
            InstructionsOther = spec.InstructionsOther,
            Language = spec.Language,
            Form = spec.Form.ToJson(),
            AssigneeRole = spec.Role,
            AssigneeUser = spec.User is { Length: > 0 } user ? user : null,
            ExcludedUser = spec.NotBy is { Length: > 0 } notBy ? notBy : null,
            DueAt = dueAt?.UtcDateTime,
            EscalateToRole = spec.EscalateTo,
            CreatedAt = now.UtcDateTime,
        };
        context.Workflow.Records.Insert(task);
        return task;
    }

    /// <summary>
    /// The task the step's task bookmark was resumed for, completed with the person's decision in this burst (its SLA
    /// timer is cleared, so it cannot escalate a task the same step opens next); null when there is none.
    /// </summary>
    public async Task<HumanTaskRecord?> CompletedAsync(ActivityExecutionContext context)
    {
        if (context.GetProperty<string>("TaskId") is not { } taskId)
            return null;
        var task = await store.FindAsync(taskId, context.CancellationToken);
        context.ClearBookmarks(HumanTask.OverdueBookmarkName);
        if (task is { Status: HumanTaskStatus.Open })
            Complete(context, task);
        return task;
    }

    /// <summary>
    /// The step's open task, when the step ends another way (the customer answered the link while an advisor was to
    /// call): cancelled with the burst, so nobody works a task whose answer is no longer awaited.
    /// </summary>
    public async Task CancelOpenAsync(ActivityExecutionContext context)
    {
        if (context.GetProperty<string>("TaskId") is not { } taskId || await store.FindAsync(taskId, context.CancellationToken) is not { Status: HumanTaskStatus.Open } task)
            return;
        task.Status = HumanTaskStatus.Cancelled;
        task.CompletedAt = context.Clock.GetUtcNow().UtcDateTime;
        context.Workflow.Records.Update(task);
    }

    /// <summary>
    /// The SLA timer: the open task goes to its escalation role, once. The role it had keeps it too (the advisor at the
    /// counter still finishes the greeting the manager was alerted to), but a person's claim is dropped.
    /// </summary>
    public async ValueTask EscalateAsync(ActivityExecutionContext context)
    {
        if (context.GetProperty<string>("TaskId") is not { } taskId || await store.FindAsync(taskId, context.CancellationToken) is not { } task)
            return;
        if (task.Status == HumanTaskStatus.Open && task.EscalatedAt is null)
        {
            task.EscalatedAt = context.Clock.GetUtcNow().UtcDateTime;
            task.EscalatedFrom = task.EscalateToRole is { } to && to != task.AssigneeRole ? task.AssigneeRole : null;
            task.AssigneeRole = task.EscalateToRole ?? task.AssigneeRole;
            task.AssigneeUser = null;
            task.ClaimedBy = null;
            context.Workflow.Records.Update(task);
            context.Workflow.AddJournal(context, "Escalated", task.AssigneeRole);
        }
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
