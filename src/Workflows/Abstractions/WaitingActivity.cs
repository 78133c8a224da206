using Followup.Workflows.Runtime;

namespace Followup.Workflows.Abstractions;

/// <summary>
/// The pattern for an activity that waits for several things at once — its own timers (a reminder, a deadline) and
/// signals from outside (a decision, a reply) — and reacts to each in a method of its own. The activity names each
/// wait once, in its constructor, with <see cref="When"/>; the engine then calls the matching handler when that
/// bookmark is resumed. A wait is made with <see cref="Wait"/> (a signal) or <see cref="WaitUntil"/> (a timer of this
/// execution). Resuming a bookmark the activity did not name does nothing.
/// </summary>
public abstract class WaitingActivity : Activity
{
    private readonly Dictionary<string, Func<ActivityExecutionContext, ValueTask>> _handlers = new(StringComparer.Ordinal);

    /// <summary>Names a wait and what to do when it is resumed.</summary>
    protected void When(string bookmarkName, Func<ActivityExecutionContext, ValueTask> handler) => _handlers[bookmarkName] = handler;

    /// <summary>Waits for a signal: a stimulus named <paramref name="bookmarkName"/> with <paramref name="payload"/>.</summary>
    protected Bookmark Wait(ActivityExecutionContext context, string bookmarkName, object? payload = null, bool autoBurn = true) =>
        context.CreateBookmark(Known(bookmarkName), payload, autoBurn: autoBurn);

    /// <summary>Waits until <paramref name="at"/>: a timer that belongs to this execution alone.</summary>
    protected Bookmark WaitUntil(ActivityExecutionContext context, string bookmarkName, DateTimeOffset at, object? payload = null) =>
        context.CreateBookmark(Known(bookmarkName), payload, at, includeActivityInstanceId: true);

    public sealed override ValueTask ResumeAsync(ActivityExecutionContext context) =>
        context.ResumedBookmark?.Name is { } name && _handlers.TryGetValue(name, out var handler) ? handler(context) : ValueTask.CompletedTask;

    private string Known(string name) => _handlers.ContainsKey(name)
        ? name
        : throw new InvalidOperationException($"{GetType().Name} waits on '{name}' without saying what to do when it is resumed (When).");
}
