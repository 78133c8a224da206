using System.Text.Json;
using Followup.Workflows.Persistence;
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

/// <summary>A staff member as the task rules see them.</summary>
public sealed record StaffMember(string UserName, IReadOnlyList<string> Roles)
{
    public bool IsManager => Roles.Contains("Manager");
}

/// <summary>
/// Working tasks: who sees what, claim and release, reassignment by managers, and completion. A task is completed
/// once (a second completion is refused); its workflow then resumes with the outcome and the values.
/// </summary>
public sealed class TaskService(WorkflowStore store, IWorkflowRuntime runtime, TimeProvider clock)
{
    public Task<List<HumanTaskRecord>> ListAsync(StaffMember staff, bool everything, CancellationToken cancellationToken) =>
        store.ListOpenTasksAsync(staff.UserName, staff.Roles, everything && staff.IsManager, cancellationToken);

    public static bool MayWork(HumanTaskRecord task, StaffMember staff) =>
        staff.IsManager
        || task.AssigneeUser == staff.UserName
        || task.ClaimedBy == staff.UserName
        || (task.AssigneeUser is null && task.ClaimedBy is null && task.AssigneeRole is { } role && staff.Roles.Contains(role));

    public static bool MaySee(HumanTaskRecord task, StaffMember staff) =>
        MayWork(task, staff) || (task.AssigneeRole is { } role && staff.Roles.Contains(role));

    public async Task<TaskResult> ClaimAsync(string id, StaffMember staff, CancellationToken cancellationToken)
    {
        if (await store.FindTaskAsync(id, cancellationToken) is not { } task)
            return TaskResult.NotFound;
        if (!MayWork(task, staff))
            return TaskResult.NotYours;
        return await store.SetTaskHolderAsync(id, staff.UserName, null, null, onlyIfFree: !staff.IsManager, cancellationToken) ? TaskResult.Done : TaskResult.AlreadyCompleted;
    }

    public async Task<TaskResult> ReleaseAsync(string id, StaffMember staff, CancellationToken cancellationToken)
    {
        if (await store.FindTaskAsync(id, cancellationToken) is not { } task)
            return TaskResult.NotFound;
        if (task.ClaimedBy != staff.UserName && !staff.IsManager)
            return TaskResult.NotYours;
        return await store.SetTaskHolderAsync(id, null, null, null, onlyIfFree: false, cancellationToken) ? TaskResult.Done : TaskResult.AlreadyCompleted;
    }

    /// <summary>Managers give a task to a person or to a role.</summary>
    public async Task<TaskResult> ReassignAsync(string id, StaffMember staff, string? toUser, string? toRole, CancellationToken cancellationToken)
    {
        if (!staff.IsManager)
            return TaskResult.NotYours;
        if (await store.FindTaskAsync(id, cancellationToken) is null)
            return TaskResult.NotFound;
        return await store.SetTaskHolderAsync(id, null, toUser, toRole, onlyIfFree: false, cancellationToken) ? TaskResult.Done : TaskResult.AlreadyCompleted;
    }

    public async Task<(TaskResult Result, Dictionary<string, string[]> Errors)> CompleteAsync(string id, StaffMember staff, string action,
        IReadOnlyDictionary<string, string?> submitted, string language, CancellationToken cancellationToken)
    {
        if (await store.FindTaskAsync(id, cancellationToken) is not { } task)
            return (TaskResult.NotFound, []);
        if (task.Status != HumanTaskStatus.Open)
            return (TaskResult.AlreadyCompleted, []);
        if (!MayWork(task, staff))
            return (TaskResult.NotYours, []);
        var (values, errors) = TaskForm.FromJson(task.Form).Validate(submitted, action, language);
        if (errors.Count > 0)
            return (TaskResult.Invalid, errors);
        if (!await store.CompleteTaskAsync(id, action, JsonSerializer.Serialize(values, TaskJson.Options), staff.UserName, clock.GetUtcNow().UtcDateTime, cancellationToken))
            return (TaskResult.AlreadyCompleted, []);
        await ResumeAsync(task, values, cancellationToken);
        return (TaskResult.Done, []);
    }

    /// <summary>Resumes workflows whose task was completed but which did not move on (a crash in between).</summary>
    public async Task ResumeCompletedAsync(CancellationToken cancellationToken)
    {
        foreach (var task in await store.ListCompletedTasksNotResumedAsync(cancellationToken))
        {
            var values = task.Result is null ? null : JsonSerializer.Deserialize<Dictionary<string, object?>>(task.Result, TaskJson.Options);
            await ResumeAsync(task, values, cancellationToken);
        }
    }

    private Task ResumeAsync(HumanTaskRecord task, object? values, CancellationToken cancellationToken) =>
        runtime.ResumeAsync(task.InstanceId, task.BookmarkId, new Dictionary<string, object?> { ["Values"] = values }, cancellationToken);
}
