using Followup.Activities.Data;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Service.Steps;

/// <summary>Additional work found in the workshop: a priced line the customer must authorise before it is done.</summary>
[Activity("Followup", "Visit steps", "Record additional work the technician found, priced, for the customer to authorise.", DisplayName = "Record additional work")]
public sealed class RecordAdditionalWork(DealershipRecords records) : TaskStep(records)
{
    [Input(Description = "What the work is (task field 'description').")]
    public Input<string> Description { get; set; } = new(null);

    [Input(Description = "Why it is needed, in words the customer understands (task field 'reason').")]
    public Input<string> Reason { get; set; } = new(null);

    [Input(Description = "Labour hours (task field 'hours').")]
    public Input<decimal?> Hours { get; set; } = new(null);

    [Input(Description = "Labour price (task field 'labour').")]
    public Input<decimal?> Labour { get; set; } = new(null);

    [Input(Description = "Parts price (task field 'parts').")]
    public Input<decimal?> Parts { get; set; } = new(null);

    [Input(Description = "Safety-related (brakes, tyres, steering, lights) (task field 'safety'): declined or unanswered, it is marked on the visit and the invoice.")]
    public Input<bool?> Safety { get; set; } = new(null);

    [Output(Description = "The line for the customer to authorise (JSON).")]
    public Output<object>? Lines { get; set; }

    protected override async Task RecordAsync(ActivityExecutionContext context, VisitFacts visit)
    {
        var values = ValuesOf(context, this);
        var visitId = visit.Visit.Id;
        var estimateId = context.Workflow.NewId();
        var line = new EstimateLine
        {
            EstimateId = estimateId,
            LineKey = "add-" + estimateId[^6..],
            Description = Text(context, Description, values, "description") ?? throw new ArgumentException("Additional work needs a description."),
            Reason = Text(context, Reason, values, "reason"),
            Hours = Number(context, Hours, values, "hours") ?? 0,
            Labour = Number(context, Labour, values, "labour") ?? 0,
            Parts = Number(context, Parts, values, "parts") ?? 0,
            Safety = Flag(context, Safety, values, "safety") ?? false,
        };
        var now = DealershipRecords.Now(context);
        await Records.WriteAsync(context, "step:AdditionalWork", "Visit", visitId, (db, _) =>
        {
            db.Estimates.Add(new Estimate { Id = estimateId, VisitId = visitId, Kind = EstimateKind.AdditionalWork, CreatedAt = now, Lines = [line] });
            return Task.CompletedTask;
        });
        Produced = RecordNeeds.ToApproval([line]);
        context.Set(Lines, Produced);
    }
}
