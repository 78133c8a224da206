using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Workflows.Activities.Primitives;

[Activity("Elsa", "Primitives", "Publishes an event: waiting workflows resume and published workflows with a matching Event trigger start.")]
public sealed class PublishEvent : CodeActivity
{
    [Input(Description = "The name of the event.")]
    public Input<string> EventName { get; set; } = new(null);

    [Input(Description = "Only instances with this correlation id receive the event.")]
    public Input<string> CorrelationId { get; set; } = new(null);

    [Input(Description = "Deliver the event to this workflow instance only.")]
    public Input<bool> IsLocalEvent { get; set; } = new(null);

    [Input(Description = "Data sent with the event.")]
    public Input<object> Payload { get; set; } = new(null);

    protected override ValueTask RunAsync(ActivityExecutionContext context)
    {
        var name = context.Get(EventName) ?? throw new InvalidOperationException($"{context.Node} has no event name.");
        var correlationId = context.Get(CorrelationId);
        var instanceId = context.Get(IsLocalEvent) ? context.Workflow.InstanceId : null;
        var payload = context.Get(Payload);
        context.AfterCommit((services, ct) => services.GetRequiredService<IWorkflowRuntime>()
            .PublishEventAsync(name, payload, correlationId, instanceId, ct));
        return ValueTask.CompletedTask;
    }
}
