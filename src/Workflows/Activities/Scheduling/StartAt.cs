using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Scheduling;

/// <summary>Continues at a point in time (at once when it has passed); as a trigger, starts the workflow then.</summary>
[Activity("Elsa", "Scheduling", "Trigger execution at a specific time in the future.")]
public sealed class StartAt : Activity, ITrigger
{
    public const string BookmarkName = "Elsa.StartAt";

    [Input(Description = "The moment to continue at.", UIHint = "datetime-picker")]
    public Input<DateTimeOffset> DateTime { get; set; } = new(null);

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var at = context.Get(DateTime);
        if (context.IsTriggerOfWorkflow || at <= context.Clock.GetUtcNow())
            return context.CompleteAsync();
        context.CreateBookmark(BookmarkName, new TimerPayload(at), at, includeActivityInstanceId: true);
        return ValueTask.CompletedTask;
    }

    public IEnumerable<TriggerPayload> GetTriggerPayloads(TriggerContext context)
    {
        var at = context.GetLiteral(DateTime);
        yield return new TriggerPayload(BookmarkName, new { ExecuteAt = at }) { StartAt = at };
    }
}
