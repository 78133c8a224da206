using Followup.Workflows.Abstractions;
using Followup.Workflows.Expressions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Scripting;

/// <summary>Runs a script; <c>setOutcome('X')</c> / <c>setOutcomes([...])</c> choose the ports it completes with.</summary>
[Activity("Elsa", "Scripting", "Executes JavaScript code.", DisplayName = "Run JavaScript")]
public sealed class RunJavaScript(JavaScriptEvaluator javaScript) : Activity
{
    [Input(Description = "The script to run.", UIHint = "code-editor")]
    public Input<string> Script { get; set; } = new(null);

    [Input(Description = "The outcomes the script may choose.", UIHint = "dynamic-outcomes")]
    public Input<List<string>> PossibleOutcomes { get; set; } = new(null);

    [Output(Description = "The value of the script's last expression or return statement.")]
    public Output<object>? Result { get; set; }

    public override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var script = Script.Expression?.Type is Expression.Literal or null ? Script.Expression?.Text : context.Get(Script);
        var outcomes = new List<string>();
        var result = javaScript.Evaluate(script ?? "", context, engine =>
        {
            engine.SetValue("setOutcome", (Action<string>)outcomes.Add);
            engine.SetValue("setOutcomes", (Action<object[]>)(values => outcomes.AddRange(values.Select(v => v?.ToString() ?? ""))));
        });
        context.Set(Result, result);
        return context.CompleteAsync(outcomes.Count == 0 ? Outcomes.Default : new Outcomes(outcomes));
    }
}
