using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Service.Steps;

/// <summary>The car is ready for pick-up; when it first was is compared with the promised time.</summary>
[Activity("Followup", "Visit steps", "Mark the car ready for pick-up.", DisplayName = "Mark ready")]
public sealed class MarkReady(DealershipRecords records) : VisitStep(records)
{
    protected override Task RecordAsync(ActivityExecutionContext context, VisitFacts visit) =>
        UpdateVisitAsync(context, "step:Ready", visit.Visit.Id, v =>
        {
            v.Status = VisitStatus.Ready;
            v.ReadyAt ??= DealershipRecords.Now(context);
        });
}
