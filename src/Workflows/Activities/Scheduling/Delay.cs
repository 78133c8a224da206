using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Scheduling;

/// <summary>Waits for a time span: a timer bookmark the scheduler resumes when it falls due.</summary>
[Activity("Elsa", "Scheduling", "Delay execution for the specified amount of time.")]
public sealed class Delay : Activity
{
    public const string BookmarkName = "Elsa.Delay";

    [Input(Description = "The time span to wait, e.g. 3.00:00:00 for three days.", DefaultValue = "00:01:00")]
    public Input<TimeSpan> TimeSpan { get; set; } = new(null);

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var resumeAt = context.Clock.GetUtcNow() + context.Get(TimeSpan);
        context.CreateBookmark(BookmarkName, new TimerPayload(resumeAt), resumeAt, includeActivityInstanceId: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>The payload of every timer bookmark.</summary>
public sealed record TimerPayload(DateTimeOffset ResumeAt);
