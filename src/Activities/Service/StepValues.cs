using System.Globalization;
using System.Text.Json;

namespace Followup.Activities.Service;

/// <summary>Reading a task's submitted values (or any object a step was given) by name.</summary>
public sealed class StepValues(object? source)
{
    private readonly IReadOnlyDictionary<string, object?> values = Workflows.Expressions.ValueConverter.Normalize(source) switch
    {
        IReadOnlyDictionary<string, object?> d => d,
        IDictionary<string, object?> d => d.ToDictionary(),
        _ => new Dictionary<string, object?>(),
    };

    public string? Text(string name) => values.GetValueOrDefault(name) switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
        var v => Convert.ToString(v, CultureInfo.InvariantCulture),
    };

    public decimal? Number(string name) => values.GetValueOrDefault(name) switch
    {
        null => null,
        string s => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null,
        var v => Convert.ToDecimal(v, CultureInfo.InvariantCulture),
    };

    public bool? Flag(string name) => values.GetValueOrDefault(name) switch
    {
        null => null,
        bool b => b,
        string s => s is "true" or "yes" or "on" ? true : s is "false" or "no" ? false : null,
        _ => null,
    };

    public IReadOnlyList<string> List(string name) => List(values.GetValueOrDefault(name));

    public static IReadOnlyList<string> List(object? value) => value switch
    {
        null => [],
        string s => s.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        JsonElement e => List(Workflows.Serialization.JsonValues.ToClr(e)),
        System.Collections.IEnumerable items => items.Cast<object?>().Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)).OfType<string>().Where(i => i.Length > 0).ToList(),
        _ => [Convert.ToString(value, CultureInfo.InvariantCulture)!],
    };
}
