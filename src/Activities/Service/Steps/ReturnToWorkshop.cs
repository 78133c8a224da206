using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Service.Steps;

/// <summary>A failed quality check: the car goes back to the workshop.</summary>
[Activity("Followup", "Visit steps", "Send the car back to the workshop after a failed quality check.", DisplayName = "Return to workshop")]
public sealed class ReturnToWorkshop(DealershipRecords records) : VisitStep(records)
{
    protected override Task RecordAsync(ActivityExecutionContext context, VisitFacts visit) =>
        UpdateVisitAsync(context, "step:Rework", visit.Visit.Id, v => v.Status = VisitStatus.InWorkshop);
}
