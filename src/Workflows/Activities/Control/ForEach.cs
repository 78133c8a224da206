using System.Collections;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Definitions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Control;

/// <summary>Runs its body once per item, one after the other; <c>getCurrentValue()</c> gives the item.</summary>
[Activity("Elsa", "Looping", "Iterate over a set of values.", DisplayName = "For Each")]
public sealed class ForEach : Activity, IBreakable
{
    private const string IndexKey = "CurrentIndex";

    [Input(Description = "The set of values to iterate.")]
    public Input<object> Items { get; set; } = new(null);

    [Port]
    public ActivityNode? Body { get; set; }

    [Output(Description = "The current value.")]
    public Output<object>? CurrentValue { get; set; }

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.SetProperty("Items", Loops.ToList(context.Get(Items)));
        return NextAsync(context, 0);
    }

    public override ValueTask OnChildCompletedAsync(ActivityExecutionContext context, ActivityExecutionContext child, Outcomes outcomes) =>
        NextAsync(context, context.GetProperty<long>(IndexKey) + 1);

    private ValueTask NextAsync(ActivityExecutionContext context, long index)
    {
        var items = context.GetProperty("Items", () => new List<object?>());
        if (index >= items.Count || Body is null)
            return context.CompleteAsync();
        context.SetProperty(IndexKey, index);
        context.Set(CurrentValue, items[(int)index]);
        context.ScheduleActivity(Body, Loops.Iteration(items[(int)index], index));
        return ValueTask.CompletedTask;
    }
}

internal static class Loops
{
    public static List<object?> ToList(object? items) => items switch
    {
        null => [],
        string s => [s],
        IEnumerable e => e.Cast<object?>().ToList(),
        _ => [items],
    };

    /// <summary>One more child of a container that waits for all of them completed: complete when none is left.</summary>
    public static ValueTask CountDownAsync(ActivityExecutionContext context)
    {
        var pending = context.GetProperty<long>("Pending") - 1;
        context.SetProperty("Pending", pending);
        return pending <= 0 ? context.CompleteAsync() : ValueTask.CompletedTask;
    }

    public static Dictionary<string, object?> Iteration(object? value, long index) => new()
    {
        ["CurrentValue"] = value,
        ["CurrentIndex"] = index,
    };
}
