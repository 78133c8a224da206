using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Service.Steps;

/// <summary>Reception (step 1): the moment an advisor greeted the customer, once; time to greet is measured from arrival.</summary>
[Activity("Followup", "Visit steps", "Record that the customer was greeted (the first greeting counts).", DisplayName = "Record greeting")]
public sealed class RecordGreeting(DealershipRecords records) : VisitStep(records)
{
    protected override Task RecordAsync(ActivityExecutionContext context, VisitFacts visit) =>
        UpdateVisitAsync(context, "step:Greeted", visit.Visit.Id, v => v.GreetedAt ??= DealershipRecords.Now(context));
}
