using Followup.Workflows.Definitions;

namespace Followup.Workflows.Abstractions;

/// <summary>An activity that can start a workflow (when <c>canStartWorkflow</c> is set) and waits as a bookmark otherwise.</summary>
public interface ITrigger
{
    /// <summary>The stimuli that start the workflow, evaluated when a version is published. Throws <see cref="TriggerValidationException"/> on bad input.</summary>
    IEnumerable<TriggerPayload> GetTriggerPayloads(TriggerContext context);
}

/// <summary>What starts a workflow: a stimulus (name + payload), or a schedule (start time, interval or cron).</summary>
public sealed record TriggerPayload(string Name, object? Payload)
{
    public DateTimeOffset? StartAt { get; init; }
    public TimeSpan? Interval { get; init; }
    public string? CronExpression { get; init; }
}

public sealed class TriggerContext(ActivityNode node, TimeProvider clock)
{
    public ActivityNode Node { get; } = node;
    public TimeProvider Clock { get; } = clock;

    /// <summary>Reads a literal input at publish time; null when the input is an expression only a running instance can evaluate.</summary>
    public T? GetLiteral<T>(Input<T>? input)
    {
        if (input?.Expression is not { } e)
            return default;
        if (e.Type is not (Expression.Literal or "" or Expression.Object or Expression.Json))
            return default;
        return (T?)Expressions.ValueConverter.Convert(Serialization.JsonValues.ToClr(e.Value), typeof(T));
    }
}

public sealed class TriggerValidationException(string message) : Exception(message);
