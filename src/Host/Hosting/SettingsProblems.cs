using Microsoft.Extensions.Options;

namespace Followup.Host.Hosting;

/// <summary>The wrong settings a failed start reports (one per line, each naming its key), or none when it failed for another reason.</summary>
public static class SettingsProblems
{
    public static IReadOnlyList<string> From(Exception exception) => exception switch
    {
        OptionsValidationException options => options.Failures.ToList(),
        AggregateException many when many.InnerExceptions.All(e => e is OptionsValidationException) =>
            many.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList(),
        _ => [],
    };
}
