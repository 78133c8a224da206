using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Service.Steps;

/// <summary>Quality check: the work is done and the car waits for its check.</summary>
[Activity("Followup", "Visit steps", "Start the quality check of the work.", DisplayName = "Start quality check")]
public sealed class StartQualityCheck(DealershipRecords records) : VisitStep(records)
{
    protected override Task RecordAsync(ActivityExecutionContext context, VisitFacts visit) =>
        UpdateVisitAsync(context, "step:QualityCheck", visit.Visit.Id, v => v.Status = VisitStatus.QualityCheck);
}
