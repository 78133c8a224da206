using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service.Steps;

/// <summary>
/// The promised time again after the work grew (additional work approved) or must be done again (a failed quality
/// check): from now, the new hours plus half an hour for the quality check, on the next quarter hour. A promise is only
/// ever moved later: Later when it moved (tell the customer), Unchanged when the old one still holds.
/// </summary>
[Activity("Followup", "Visit steps", "Recompute the promised time after additional work or rework; Later when the customer must be told a new time.", DisplayName = "Revise promised time")]
[FlowNode("Later", "Unchanged")]
public sealed class RevisePromisedTime(DealershipRecords records) : VisitStep(records)
{
    [Input(Description = "The hours of work still to do; empty for the approved hours of the latest additional work.")]
    public Input<decimal?> Hours { get; set; } = new(null);

    [Output(Description = "The promised time, in the store's time.")]
    public Output<object>? PromisedAt { get; set; }

    protected override async Task RecordAsync(ActivityExecutionContext context, VisitFacts visit)
    {
        var visitId = visit.Visit.Id;
        var now = DealershipRecords.Now(context);
        var hours = Hours.Expression is not null ? context.Get(Hours) ?? 0 : await Records.ReadAsync(context, async db =>
        {
            var latest = await db.Estimates.Include(e => e.Lines).Where(e => e.VisitId == visitId && e.Kind == EstimateKind.AdditionalWork)
                .OrderByDescending(e => e.CreatedAt).FirstOrDefaultAsync(context.CancellationToken);
            return latest?.Lines.Where(l => l.Approved == true).Sum(l => l.Hours) ?? 0;
        });
        var earliest = SetPromisedTime.Compute(now, Math.Max(0, hours), 0, 1);
        var later = visit.Visit.PromisedAt is not { } promised || earliest > promised;
        var at = later ? earliest : visit.Visit.PromisedAt!.Value;
        if (later)
            await UpdateVisitAsync(context, "step:PromisedTimeRevised", visitId, v => v.PromisedAt = at);
        Produced = Records.LocalTime(at);
        context.Set(PromisedAt, Produced);
        await context.CompleteAsync(later ? "Later" : "Unchanged");
    }
}
