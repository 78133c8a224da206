using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Service.Steps;

/// <summary>Workshop handover: keys, repair order and check-in sheet go to the workshop; the visit is in the workshop.</summary>
[Activity("Followup", "Visit steps", "Hand the car over to the workshop and its technician.", DisplayName = "Hand over to workshop")]
public sealed class HandOverToWorkshop(DealershipRecords records) : TaskStep(records)
{
    [Input(Description = "The technician (user name) who takes the car (task field 'technician').")]
    public Input<string> Technician { get; set; } = new(null);

    protected override Task RecordAsync(ActivityExecutionContext context, VisitFacts visit)
    {
        var technician = Text(context, Technician, ValuesOf(context, this), "technician");
        return UpdateVisitAsync(context, "step:Handover", visit.Visit.Id, v =>
        {
            v.Status = VisitStatus.InWorkshop;
            v.Technician = technician ?? v.Technician;
        });
    }
}
