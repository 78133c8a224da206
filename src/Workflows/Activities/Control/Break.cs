using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Control;

/// <summary>
/// Ends the nearest enclosing loop. Outside a loop it marks every enclosing Sequence as breaking, so each stops after
/// its current child; in a flowchart without a loop it ends the flowchart.
/// </summary>
[Activity("Elsa", "Looping", "Break out of a loop.")]
public sealed class Break : Activity, ITerminalNode
{
    internal const string BreakingKey = "Breaking";

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        foreach (var ancestor in context.Ancestors())
        {
            var type = ancestor.Node.ActivityType?.ClrType;
            if (type != null && typeof(IBreakable).IsAssignableFrom(type))
            {
                await ancestor.CompleteAsync();
                return;
            }
            if (type == typeof(Sequence))
                ancestor.SetProperty(BreakingKey, true);
        }
        await context.CompleteAsync();
    }
}
