using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Service.Steps;

/// <summary>
/// A step of the visit that records what happened on the visit's repair order: it loads the visit, writes its records
/// with the workflow's state (<see cref="DealershipRecords.WriteAsync"/>: a step run again after a crash writes once), and completes. Steps that record a
/// task's form take the task's values (<see cref="TaskValues"/>); each of their typed inputs, when bound, wins over
/// the value of the same name.
/// </summary>
public abstract class VisitStep(DealershipRecords records) : Activity
{
    [Input(Description = "The visit's id.", Order = -1)]
    public Input<string> VisitId { get; set; } = new(null);

    protected DealershipRecords Records => records;

    /// <summary>What the step gives the workflow (the lines to approve, the promised time, the total), also as the old step's Result.</summary>
    internal object? Produced { get; set; }

    public sealed override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var visit = await records.VisitAsync(context, context.Get(VisitId));
        await RecordAsync(context, visit);
        if (context.Status == ActivityStatus.Running && !context.HasBookmarks)
            await context.CompleteAsync();
    }

    protected abstract Task RecordAsync(ActivityExecutionContext context, VisitFacts visit);

    /// <summary>An input's value when it is bound, else the value of <paramref name="field"/> in the task's values.</summary>
    protected static string? Text(ActivityExecutionContext context, Input<string> input, StepValues values, string field) =>
        input.Expression is null ? values.Text(field) : context.Get(input);

    protected static decimal? Number(ActivityExecutionContext context, Input<decimal?> input, StepValues values, string field) =>
        input.Expression is null ? values.Number(field) : context.Get(input);

    protected static bool? Flag(ActivityExecutionContext context, Input<bool?> input, StepValues values, string field) =>
        input.Expression is null ? values.Flag(field) : context.Get(input);

    /// <summary>Changes the visit with the step; a new status is also sent to the configured webhooks (a DMS).</summary>
    protected async Task UpdateVisitAsync(ActivityExecutionContext context, string action, string visitId, Action<Visit> change)
    {
        Visit? changed = null;
        await records.WriteAsync(context, action, "Visit", visitId, async (db, ct) =>
        {
            var visit = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(db.Visits, v => v.Id == visitId, ct);
            var before = visit.Status;
            change(visit);
            visit.UpdatedAt = DealershipRecords.Now(context);
            if (visit.Status != before)
                changed = visit;
        });
        if (changed != null)
            Messaging.VisitWebhooks.Enqueue(context, changed);
    }
}

/// <summary>A step that records a task's form: the task's values, by field name.</summary>
public abstract class TaskStep(DealershipRecords records) : VisitStep(records)
{
    [Input(DisplayName = "Task values", Description = "The values of the task before this step (its form's fields by name); inputs left empty are read from them.", Order = -0.5f)]
    public Input<object> TaskValues { get; set; } = new(null);

    protected static StepValues ValuesOf(ActivityExecutionContext context, TaskStep step) => new(context.Get(step.TaskValues));
}
