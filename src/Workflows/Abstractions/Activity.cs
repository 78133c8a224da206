using Followup.Workflows.Runtime;

namespace Followup.Workflows.Abstractions;

/// <summary>
/// Behaviour of an activity. A new instance is built for each execution from the workflow's service scope, so an
/// activity takes its dependencies through its constructor and keeps no state between calls: what must survive goes
/// into the execution context (properties, variables, bookmarks).
/// An activity must complete, create a bookmark or schedule children; otherwise it stays running.
/// </summary>
public abstract class Activity
{
    public virtual ValueTask ExecuteAsync(ActivityExecutionContext context) => context.CompleteAsync();

    /// <summary>Called on a container when one of the children it scheduled completed.</summary>
    public virtual ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes) =>
        ValueTask.CompletedTask;

    /// <summary>Called on a container when one of its children was cancelled (for instance by a WaitAny join).</summary>
    public virtual ValueTask OnChildCanceledAsync(ActivityExecutionContext context, ActivityExecutionContext child) =>
        ValueTask.CompletedTask;

    /// <summary>Called when one of this activity's bookmarks is resumed (<see cref="ActivityExecutionContext.ResumedBookmark"/>).</summary>
    public virtual ValueTask ResumeAsync(ActivityExecutionContext context) => context.CompleteAsync();
}

/// <summary>An activity that completes with "Done" after <see cref="RunAsync"/>, unless it created a bookmark or completed itself.</summary>
public abstract class CodeActivity : Activity
{
    public sealed override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        await RunAsync(context);
        if (context.Status == ActivityStatus.Running && !context.HasBookmarks)
            await context.CompleteAsync();
    }

    protected abstract ValueTask RunAsync(ActivityExecutionContext context);
}
