using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Activities.Primitives;

[Activity("Elsa", "Console", "Write a line of text to the console.")]
public sealed class WriteLine(IConsoleOutput console) : CodeActivity
{
    [Input(Description = "The text to write.")]
    public Input<string> Text { get; set; } = new(null);

    protected override ValueTask RunAsync(ActivityExecutionContext context)
    {
        console.WriteLine(context.Get(Text) ?? "");
        return ValueTask.CompletedTask;
    }
}

/// <summary>Where WriteLine writes: standard output by default; the command line and tests capture it.</summary>
public interface IConsoleOutput
{
    void WriteLine(string text);
}

public sealed class StandardConsoleOutput : IConsoleOutput
{
    public void WriteLine(string text) => Console.Out.WriteLine(text);
}
