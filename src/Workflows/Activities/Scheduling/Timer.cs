using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Scheduling;

/// <summary>As a trigger, starts the workflow every interval; inside a workflow, waits one interval.</summary>
[Activity("Elsa", "Scheduling", "Trigger workflow execution at a specific interval.")]
public sealed class Timer : Activity, ITrigger
{
    public const string BookmarkName = "Elsa.Timer";

    [Input(Description = "The interval at which the timer should execute.", DefaultValue = "00:01:00")]
    public Input<TimeSpan> Interval { get; set; } = new(null);

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.IsTriggerOfWorkflow)
            return context.CompleteAsync();
        var resumeAt = context.Clock.GetUtcNow() + context.Get(Interval);
        context.CreateBookmark(BookmarkName, new TimerPayload(resumeAt), resumeAt, includeActivityInstanceId: true);
        return ValueTask.CompletedTask;
    }

    public IEnumerable<TriggerPayload> GetTriggerPayloads(TriggerContext context)
    {
        var interval = context.GetLiteral(Interval);
        if (interval <= System.TimeSpan.Zero)
            throw new TriggerValidationException($"Timer '{context.Node.DisplayName}' needs a positive interval.");
        yield return new TriggerPayload(BookmarkName, new { Interval = interval.ToString() })
        {
            StartAt = context.Clock.GetUtcNow() + interval,
            Interval = interval,
        };
    }
}
