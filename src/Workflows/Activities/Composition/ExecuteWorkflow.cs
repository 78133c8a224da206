using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Composition;

/// <summary>Starts another workflow as a child instance and runs it now; optionally waits until it finishes.</summary>
[Activity("Elsa", "Composition", "Execute a workflow as a child instance.")]
public sealed class ExecuteWorkflow(IWorkflowRuntime runtime) : Activity
{
    public const string BookmarkName = "Elsa.ExecuteWorkflow";

    [Input(Description = "The definition id of the workflow to execute.", UIHint = "workflow-definition-picker")]
    public Input<string> WorkflowDefinitionId { get; set; } = new(null);

    [Input(Description = "The correlation id of the child instance.")]
    public Input<string> CorrelationId { get; set; } = new(null);

    [Input(Description = "The input to send to the child workflow.")]
    public Input<IDictionary<string, object>> Input { get; set; } = new(null);

    [Input(Description = "Wait for the child workflow to finish.")]
    public Input<bool> WaitForCompletion { get; set; } = new(null);

    [Output(Description = "The child instance as Elsa reports it: workflowInstanceId, status, subStatus and output (its outputs).")]
    public Output<object>? Result { get; set; }

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var request = ChildWorkflows.Request(context, context.Get(WorkflowDefinitionId), context.Get(CorrelationId), context.Get(Input)) with { InlineParent = context.Workflow };
        var child = await runtime.StartAsync(request, context.CancellationToken);
        if (!context.Get(WaitForCompletion) || child.Status == WorkflowStatus.Finished)
        {
            context.Set(Result, ChildWorkflows.Result(child.InstanceId, child.Status, child.SubStatus, child.Output));
            await context.CompleteAsync();
            return;
        }
        context.CreateBookmark(BookmarkName, new ChildWorkflowStimulus(child.InstanceId));
    }

    public override ValueTask ResumeAsync(ActivityExecutionContext context)
    {
        var input = context.ResumeInput;
        context.Set(Result, ChildWorkflows.Result(
            input.GetValueOrDefault(ChildWorkflows.InstanceIdKey)?.ToString(),
            Enum.TryParse<WorkflowStatus>(input.GetValueOrDefault(ChildWorkflows.StatusKey)?.ToString(), out var status) ? status : WorkflowStatus.Finished,
            Enum.TryParse<WorkflowSubStatus>(input.GetValueOrDefault(ChildWorkflows.SubStatusKey)?.ToString(), out var subStatus) ? subStatus : WorkflowSubStatus.Finished,
            input.GetValueOrDefault(ChildWorkflows.OutputKey)));
        return context.CompleteAsync();
    }
}

/// <summary>The stimulus a waiting parent is resumed with when its child instance finishes.</summary>
public sealed record ChildWorkflowStimulus(string ChildInstanceId);

internal static class ChildWorkflows
{
    public const string OutputKey = "ChildWorkflowOutput";
    public const string InstanceIdKey = "ChildWorkflowInstanceId";
    public const string StatusKey = "ChildWorkflowStatus";
    public const string SubStatusKey = "ChildWorkflowSubStatus";

    /// <summary>Elsa's ExecuteWorkflowResult, as scripts read it (<c>getChildResult().output.Result</c>).</summary>
    public static Dictionary<string, object?> Result(string? instanceId, WorkflowStatus status, WorkflowSubStatus subStatus, object? output) => new(StringComparer.Ordinal)
    {
        ["workflowInstanceId"] = instanceId,
        ["status"] = status.ToString(),
        ["subStatus"] = subStatus.ToString(),
        ["output"] = output ?? new Dictionary<string, object?>(),
    };

    public static StartWorkflowRequest Request(ActivityExecutionContext context, string? definitionId, string? correlationId, IDictionary<string, object>? input)
    {
        if (string.IsNullOrWhiteSpace(definitionId))
            throw new InvalidOperationException($"{context.Node} names no workflow to run.");
        var childInput = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in input ?? new Dictionary<string, object>())
            childInput[k] = v;
        childInput[WorkflowProperties.ParentInstanceId] = context.Workflow.InstanceId;
        return new StartWorkflowRequest
        {
            DefinitionId = definitionId,
            CorrelationId = correlationId,
            Input = childInput,
            ParentInstanceId = context.Workflow.InstanceId,
            Properties = new Dictionary<string, object?>
            {
                [WorkflowProperties.FlowchartExecutionMode] = context.Workflow.FlowchartMode.ToString(),
            },
        };
    }
}
