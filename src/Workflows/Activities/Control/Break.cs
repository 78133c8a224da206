using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Control;

/// <summary>Ends the nearest enclosing loop; in a flowchart without a loop it ends the flowchart.</summary>
[Activity("Elsa", "Looping", "Break out of a loop.")]
public sealed class Break : Activity, ITerminalNode
{
    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var loop = context.Ancestors().FirstOrDefault(a => a.Node.ActivityType?.ClrType is { } t && typeof(IBreakable).IsAssignableFrom(t));
        if (loop != null)
            await loop.CompleteAsync();
        else
            await context.CompleteAsync();
    }
}
