using System.Text.Json;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Tasks;

public enum TaskResult
{
    Done,
    NotFound,
    NotYours,
    AlreadyCompleted,
    Invalid,
}

/// <summary>
/// Working tasks: who sees what, claim and release, reassignment by managers, and completion. A task is completed
/// once (a second completion is refused); its workflow then resumes with the outcome and the values.
/// </summary>
public sealed class TaskService(TaskStore store, IWorkflowRuntime runtime)
{
    /// <summary>The first <paramref name="take"/> open tasks of a staff member (of everyone, for a manager asking), soonest due first, and how many there are.</summary>
    public Task<OpenTasks> ListAsync(StaffMember staff, bool everything, int take, CancellationToken cancellationToken) =>
        store.ListOpenAsync(staff.UserName, staff.Roles, everything && staff.IsManager, take, cancellationToken);

    public static bool MayWork(HumanTaskRecord task, StaffMember staff) =>
        staff.IsManager
        || task.AssigneeUser == staff.UserName
        || task.ClaimedBy == staff.UserName
        || (task.AssigneeUser is null && task.ClaimedBy is null && ((task.AssigneeRole is { } role && staff.Roles.Contains(role)) || (task.EscalatedFrom is { } from && staff.Roles.Contains(from))));

    public static bool MaySee(HumanTaskRecord task, StaffMember staff) =>
        MayWork(task, staff) || (task.AssigneeRole is { } role && staff.Roles.Contains(role));

    public async Task<TaskResult> ClaimAsync(string id, StaffMember staff, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } task)
            return TaskResult.NotFound;
        if (!MayWork(task, staff) || task.ExcludedUser == staff.UserName)
            return TaskResult.NotYours;
        return await store.SetHolderAsync(id, staff.UserName, null, null, onlyIfFree: !staff.IsManager, cancellationToken) ? TaskResult.Done : TaskResult.AlreadyCompleted;
    }

    public async Task<TaskResult> ReleaseAsync(string id, StaffMember staff, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } task)
            return TaskResult.NotFound;
        if (task.ClaimedBy != staff.UserName && !staff.IsManager)
            return TaskResult.NotYours;
        return await store.SetHolderAsync(id, null, null, null, onlyIfFree: false, cancellationToken) ? TaskResult.Done : TaskResult.AlreadyCompleted;
    }

    /// <summary>Managers give a task to a person or to a role.</summary>
    public async Task<TaskResult> ReassignAsync(string id, StaffMember staff, string? toUser, string? toRole, CancellationToken cancellationToken)
    {
        if (!staff.IsManager)
            return TaskResult.NotYours;
        if (await store.FindAsync(id, cancellationToken) is null)
            return TaskResult.NotFound;
        return await store.SetHolderAsync(id, null, toUser, toRole, onlyIfFree: false, cancellationToken) ? TaskResult.Done : TaskResult.AlreadyCompleted;
    }

    /// <summary>
    /// Validates the submission, then resumes the task's workflow with the decision as its input: the step marks the
    /// task completed in the same transaction as the workflow's new state, so a crash leaves either nothing done or
    /// all of it. A second completion finds no bookmark and is refused.
    /// </summary>
    public async Task<(TaskResult Result, Dictionary<string, string[]> Errors)> CompleteAsync(string id, StaffMember staff, string action,
        IReadOnlyDictionary<string, string?> submitted, string language, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } task)
            return (TaskResult.NotFound, []);
        if (task.Status != HumanTaskStatus.Open)
            return (TaskResult.AlreadyCompleted, []);
        if (!MayWork(task, staff))
            return (TaskResult.NotYours, []);
        if (task.ExcludedUser == staff.UserName)
            return (TaskResult.Invalid, new() { ["action"] = [language == "en" ? $"Someone other than {staff.UserName} must do this task: the work is checked by a second person." : $"此任务须由{staff.UserName}以外的同事完成（施工与检查分开）。"] });
        var (values, errors) = TaskForm.FromJson(task.Form).Validate(submitted, action, language);
        if (errors.Count > 0)
            return (TaskResult.Invalid, errors);
        var resumed = await runtime.ResumeAsync(task.InstanceId, task.BookmarkId, TaskDecision.Input(action, values, staff.UserName), cancellationToken);
        return (resumed.Outcome == ResumeOutcome.Resumed ? TaskResult.Done : TaskResult.AlreadyCompleted, []);
    }

    /// <summary>
    /// An integration completes a run-task request (Elsa's <c>POST /tasks/{taskId}/complete</c>) with its result; the
    /// workflow resumes as when a person completes it in the inbox.
    /// </summary>
    public async Task<TaskResult> CompleteRunTaskAsync(string id, object? result, string completedBy, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } task)
            return TaskResult.NotFound;
        if (task.Status != HumanTaskStatus.Open)
            return TaskResult.AlreadyCompleted;
        var values = new Dictionary<string, object?> { [RunTask.ResultField] = result };
        var resumed = await runtime.ResumeAsync(task.InstanceId, task.BookmarkId, TaskDecision.Input("Done", values, completedBy), cancellationToken);
        return resumed.Outcome == ResumeOutcome.Resumed ? TaskResult.Done : TaskResult.AlreadyCompleted;
    }

    /// <summary>
    /// Tasks a database written before decisions committed with their workflow may hold: completed, while their
    /// workflow still waits (a crash came between the two). Their workflows are resumed with the recorded decision.
    /// </summary>
    public async Task<int> ResumeCompletedAsync(CancellationToken cancellationToken)
    {
        var resumed = 0;
        foreach (var task in await store.ListCompletedNotResumedAsync(cancellationToken))
        {
            var values = task.Result is null ? null : JsonSerializer.Deserialize<Dictionary<string, object?>>(task.Result, TaskJson.Options);
            if ((await runtime.ResumeAsync(task.InstanceId, task.BookmarkId, TaskDecision.Input(task.Outcome ?? "Done", values, task.CompletedBy), cancellationToken)).Outcome == ResumeOutcome.Resumed)
                resumed++;
        }
        return resumed;
    }
}

/// <summary>What a task's workflow is resumed with when a person completes it: the action, the values and who.</summary>
public static class TaskDecision
{
    public const string Values = "Values";
    public const string Action = "Action";
    public const string CompletedBy = "CompletedBy";

    public static Dictionary<string, object?> Input(string action, object? values, string? completedBy) => new()
    {
        [Values] = values,
        [Action] = action,
        [CompletedBy] = completedBy,
    };
}
