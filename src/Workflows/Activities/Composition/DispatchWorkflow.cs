using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Workflows.Activities.Composition;

/// <summary>Starts another workflow after this burst is committed; optionally waits until it finishes.</summary>
[Activity("Elsa", "Composition", "Create a new workflow instance of the specified workflow and dispatch it for execution.")]
public sealed class DispatchWorkflow(IIdentityGenerator ids) : Activity
{
    [Input(Description = "The definition id of the workflow to dispatch.", UIHint = "workflow-definition-picker")]
    public Input<string> WorkflowDefinitionId { get; set; } = new(null);

    [Input(Description = "The correlation id of the child instance.")]
    public Input<string> CorrelationId { get; set; } = new(null);

    [Input(Description = "The input to send to the child workflow.")]
    public Input<IDictionary<string, object>> Input { get; set; } = new(null);

    [Input(Description = "Wait for the child workflow to finish.")]
    public Input<bool> WaitForCompletion { get; set; } = new(null);

    [Output(Description = "The outputs of the child workflow, when waiting.")]
    public Output<object>? Result { get; set; }

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var request = ChildWorkflows.Request(context, context.Get(WorkflowDefinitionId), context.Get(CorrelationId), context.Get(Input)) with
        {
            InstanceId = ids.NewId(),
        };
        context.AfterCommit((services, ct) => services.GetRequiredService<IWorkflowRuntime>().StartAsync(request, ct));
        if (context.Get(WaitForCompletion))
            context.CreateBookmark(ExecuteWorkflow.BookmarkName, new ChildWorkflowStimulus(request.InstanceId!));
        else
            await context.CompleteAsync();
    }

    public override ValueTask ResumeAsync(ActivityExecutionContext context)
    {
        context.Set(Result, context.ResumeInput.GetValueOrDefault(ChildWorkflows.OutputKey));
        return context.CompleteAsync();
    }
}
