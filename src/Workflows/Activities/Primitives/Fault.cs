using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Primitives;

[Activity("Elsa", "Primitives", "Faults the workflow with a message.")]
public sealed class Fault : CodeActivity
{
    [Input(Description = "A code for the fault.")]
    public Input<string> Code { get; set; } = new(null);

    [Input(Description = "A category for the fault.")]
    public Input<string> Category { get; set; } = new(null);

    [Input(Description = "The type of fault.")]
    public Input<string> FaultType { get; set; } = new(null);

    [Input(Description = "The message of the fault.")]
    public Input<string> Message { get; set; } = new(null);

    protected override ValueTask RunAsync(ActivityExecutionContext context) =>
        throw new WorkflowFaultException(context.Get(Code), context.Get(Category), context.Get(FaultType), context.Get(Message) ?? "The workflow raised a fault.");
}

public sealed class WorkflowFaultException(string? code, string? category, string? faultType, string message) : Exception(message)
{
    public string? Code { get; } = code;
    public string? Category { get; } = category;
    public string? FaultType { get; } = faultType;
}
