using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Service.Steps;

/// <summary>Loads a visit with its customer and vehicle, for the messages and tasks of the steps that follow.</summary>
[Activity("Followup", "Service", "Load the visit (repair order) with its customer and vehicle into a variable.", DisplayName = "Load visit")]
public sealed class LoadVisit(DealershipRecords records) : VisitStep(records)
{
    [Output(Description = "Number, CustomerName, Phone, Email, Language, Plate, Model, Advisor, Technician, Priority, PromisedAt; StoreName, StoreHours, StoreAddress, StorePhone.")]
    public Output<object>? Result { get; set; }

    protected override Task RecordAsync(ActivityExecutionContext context, VisitFacts visit)
    {
        context.Set(Result, visit.ToModel(Records));
        return Task.CompletedTask;
    }
}
