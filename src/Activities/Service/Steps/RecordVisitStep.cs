using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Activities.Service.Steps;

/// <summary>
/// The step type of definitions saved before the visit's steps had classes of their own (one box with a "Step"
/// name): kept so those definitions and the instances running on them go on working. Each name runs the step class
/// it became, with the same inputs. Not offered in the designer's toolbox.
/// </summary>
[Activity("Followup", "Visit steps", "Replaced by one activity per step (Record check-in, Record needs, …).", DisplayName = "Record visit step (old)")]
[Hidden]
public sealed class RecordVisitStep : Activity
{
    public static readonly IReadOnlyDictionary<string, Type> Steps = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["Greeted"] = typeof(RecordGreeting),
        ["CheckIn"] = typeof(RecordCheckIn),
        ["Needs"] = typeof(RecordNeeds),
        ["Decision"] = typeof(RecordDecision),
        ["PromisedTime"] = typeof(SetPromisedTime),
        ["Handover"] = typeof(HandOverToWorkshop),
        ["AdditionalWork"] = typeof(RecordAdditionalWork),
        ["QualityCheck"] = typeof(StartQualityCheck),
        ["Rework"] = typeof(ReturnToWorkshop),
        ["Ready"] = typeof(MarkReady),
        ["Invoice"] = typeof(RecordInvoice),
        ["Settled"] = typeof(RecordSettlement),
        ["Delivered"] = typeof(RecordDelivery),
    };

    [Input(Description = "The visit's id.")]
    public Input<string> VisitId { get; set; } = new(null);

    [Input(Description = "Which step's result to record.")]
    public Input<string> Step { get; set; } = new(null);

    [Input(Description = "A task's submitted values, or the lines a customer approved.")]
    public Input<object> Values { get; set; } = new(null);

    [Input(Description = "Labour rate per hour; when empty, the store's (store settings; 300 unless set).")]
    public Input<decimal> LabourRate { get; set; } = new(null);

    [Input(Description = "Workshop bays working in parallel.", DefaultValue = 4)]
    public Input<int> Bays { get; set; } = new(null);

    [Output(Description = "What the step gives: the lines to approve, the promised time, the total.")]
    public Output<object>? Result { get; set; }

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var name = context.Get(Step) ?? "";
        if (!Steps.TryGetValue(name, out var type))
            throw new ArgumentException($"Unknown visit step '{name}'. Steps: {string.Join(", ", Steps.Keys)}.");
        var step = (VisitStep)ActivatorUtilities.CreateInstance(context.Services, type);
        step.VisitId = VisitId;
        switch (step)
        {
            case TaskStep task:
                task.TaskValues = Values;
                break;
            case RecordDecision decision:
                decision.ApprovedLines = Values;
                break;
            case SetPromisedTime promise:
                promise.Bays = Bays;
                break;
        }
        if (step is RecordNeeds needs)
            needs.LabourRate = LabourRate;
        await step.ExecuteAsync(context);
        context.Set(Result, step.Produced);
    }
}
