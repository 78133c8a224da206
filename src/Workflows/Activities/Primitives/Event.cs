using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Primitives;

/// <summary>Waits for a named event; as a trigger, a published workflow starts when the event is published.</summary>
[Activity("Elsa", "Primitives", "Wait for an event to be published.")]
public sealed class Event : Activity, ITrigger
{
    public const string BookmarkName = "Elsa.Event";
    public const string PayloadInputKey = "__EventPayloadWorkflowInput";

    [Input(Description = "The name of the event to wait for.")]
    public Input<string> EventName { get; set; } = new(null);

    [Output(Description = "The payload the event was published with.")]
    public Output<object>? Result { get; set; }

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.IsTriggerOfWorkflow)
        {
            context.Set(Result, context.Workflow.Input.GetValueOrDefault(PayloadInputKey));
            return context.CompleteAsync();
        }
        var name = context.Get(EventName) ?? throw new InvalidOperationException($"{context.Node} has no event name.");
        context.CreateBookmark(BookmarkName, new EventStimulus(name));
        return ValueTask.CompletedTask;
    }

    public override ValueTask ResumeAsync(ActivityExecutionContext context)
    {
        context.Set(Result, context.ResumeInput.GetValueOrDefault(PayloadInputKey));
        return context.CompleteAsync();
    }

    public IEnumerable<TriggerPayload> GetTriggerPayloads(TriggerContext context)
    {
        if (context.GetLiteral(EventName) is { Length: > 0 } name)
            yield return new TriggerPayload(BookmarkName, new EventStimulus(name));
    }
}

public sealed record EventStimulus(string EventName);
