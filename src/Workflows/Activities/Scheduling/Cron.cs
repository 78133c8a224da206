using Cronos;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Scheduling;

/// <summary>As a trigger, starts the workflow on a cron schedule; inside a workflow, waits for the next occurrence.</summary>
[Activity("Elsa", "Scheduling", "Trigger execution based on a cron expression.")]
public sealed class Cron : Activity, ITrigger
{
    public const string BookmarkName = "Elsa.Cron";

    [Input(Description = "The cron expression (5 fields, or 6 with seconds first).")]
    public Input<string> CronExpression { get; set; } = new(null);

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.IsTriggerOfWorkflow)
            return context.CompleteAsync();
        var expression = Parse(context.Get(CronExpression));
        var next = expression.GetNextOccurrence(context.Clock.GetUtcNow(), TimeZoneInfo.Utc)
            ?? throw new InvalidOperationException($"The cron expression of {context.Node} has no next occurrence.");
        context.CreateBookmark(BookmarkName, new TimerPayload(next), next, includeActivityInstanceId: true);
        return ValueTask.CompletedTask;
    }

    public IEnumerable<TriggerPayload> GetTriggerPayloads(TriggerContext context)
    {
        var text = context.GetLiteral(CronExpression);
        Parse(text);
        yield return new TriggerPayload(BookmarkName, new { CronExpression = text }) { CronExpression = text };
    }

    /// <summary>Parses 5-field and 6-field (seconds first) expressions; a bad one throws with the parser's reason.</summary>
    public static CronExpression Parse(string? text)
    {
        try
        {
            var trimmed = (text ?? "").Trim();
            var format = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
            return Cronos.CronExpression.Parse(trimmed, format);
        }
        catch (CronFormatException ex)
        {
            throw new TriggerValidationException($"Error when parsing cron expression: {ex.Message}");
        }
    }
}
