using System.Collections;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Composition;

/// <summary>Completes the enclosing workflow (or workflow used as an activity) with the given outcomes.</summary>
[Activity("Elsa", "Composition", "Signals the current composite activity to complete itself as a whole.")]
public sealed class Complete : Activity, ITerminalNode
{
    [Input(Description = "The outcome or set of outcomes to complete this activity with.", UIHint = "outcome-picker", DefaultSyntax = "Object")]
    public Input<object> Outcomes { get; set; } = new(null);

    public override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var outcomes = new Abstractions.Outcomes(Interpret(context.Get(Outcomes)));
        var scope = context.ScopeContext;
        scope.CompletionOutcomes = outcomes;
        await context.CompleteAsync();
        await scope.CompleteAsync(outcomes);
    }

    private static IEnumerable<string> Interpret(object? value) => value switch
    {
        null => [Abstractions.Outcomes.DoneName],
        string s when s.TrimStart().StartsWith('[') => Interpret(Expressions.ValueConverter.Convert(s, typeof(List<string>))),
        string s => [s],
        IEnumerable items => items.Cast<object?>().Select(o => o?.ToString()).OfType<string>(),
        _ => [value.ToString()!],
    };
}
