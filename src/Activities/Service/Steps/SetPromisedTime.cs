using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Service.Steps;

/// <summary>Time estimate (step 5): the promised completion from the approved labour hours and the workshop's queue.</summary>
[Activity("Followup", "Visit steps", "Promise a completion time from the approved labour hours and the workshop's load.", DisplayName = "Set promised time")]
public sealed class SetPromisedTime(DealershipRecords records) : VisitStep(records)
{
    [Input(Description = "Workshop bays working in parallel.", DefaultValue = 4)]
    public Input<int> Bays { get; set; } = new(null);

    [Output(Description = "The promised time, in the store's time.")]
    public Output<object>? PromisedAt { get; set; }

    protected override async Task RecordAsync(ActivityExecutionContext context, VisitFacts visit)
    {
        var visitId = visit.Visit.Id;
        var now = DealershipRecords.Now(context);
        var promised = await Records.ReadAsync(context, async db =>
        {
            var hours = (await db.EstimateLines.Where(l => l.Approved == true && db.Estimates.Any(e => e.Id == l.EstimateId && e.VisitId == visitId)).Select(l => l.Hours).ToListAsync(context.CancellationToken)).Sum();
            var queue = await db.Visits.CountAsync(v => v.Id != visitId && (v.Status == VisitStatus.InWorkshop || v.Status == VisitStatus.QualityCheck), context.CancellationToken);
            return Compute(now, hours, queue, Math.Max(1, context.Get(Bays)));
        });
        await UpdateVisitAsync(context, "step:PromisedTime", visitId, v => v.PromisedAt = promised);
        Produced = Records.LocalTime(promised);
        context.Set(PromisedAt, Produced);
    }

    /// <summary>Promised completion: the approved labour hours, plus the queue ahead shared over the bays, plus half an hour for the quality check; on the next quarter hour.</summary>
    public static DateTime Compute(DateTime now, decimal hours, int queue, int bays)
    {
        var minutes = (double)hours * 60 + queue * 60.0 / bays + 30;
        var at = now.AddMinutes(minutes);
        var quarter = TimeSpan.FromMinutes(15).Ticks;
        return new DateTime((at.Ticks + quarter - 1) / quarter * quarter, DateTimeKind.Utc);
    }
}
