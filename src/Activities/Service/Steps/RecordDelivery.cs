using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Service.Steps;

/// <summary>Delivery: the car is handed back to the customer and the visit is closed.</summary>
[Activity("Followup", "Visit steps", "Record that the car was handed back to the customer.", DisplayName = "Record delivery")]
public sealed class RecordDelivery(DealershipRecords records) : VisitStep(records)
{
    protected override Task RecordAsync(ActivityExecutionContext context, VisitFacts visit) =>
        UpdateVisitAsync(context, "step:Delivered", visit.Visit.Id, v =>
        {
            v.Status = VisitStatus.Delivered;
            v.DeliveredAt ??= DealershipRecords.Now(context);
        });
}
