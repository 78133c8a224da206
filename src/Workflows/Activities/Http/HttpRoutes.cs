using Followup.Workflows.Definitions;
using Followup.Workflows.Expressions;
using Followup.Workflows.Serialization;

namespace Followup.Workflows.Activities.Http;

/// <summary>One HTTP endpoint of the stored workflows: its path template, methods and who may call it.</summary>
public sealed record HttpRoute(string Path, IReadOnlyList<string> Methods, bool Authorize, string? Policy);

/// <summary>Path templates of HTTP endpoints (<c>users/{userid}</c>, <c>files/{*rest}</c>) and matching a request path to one.</summary>
public static class HttpRoutes
{
    public static string? Normalize(string? path) =>
        string.IsNullOrWhiteSpace(path) ? null : path.Trim().Trim('/').ToLowerInvariant();

    /// <summary>The HTTP endpoints of the given definitions whose path and methods are written as literals.</summary>
    public static IEnumerable<HttpRoute> Of(IEnumerable<WorkflowDefinition> definitions) =>
        definitions.SelectMany(d => d.Root.Descendants())
            .Where(n => n.Type == "Elsa.HttpEndpoint")
            .Select(n => (Path: Normalize(Literal(n, "path") as string), Node: n))
            .Where(x => x.Path != null)
            .Select(x => new HttpRoute(x.Path!, [.. HttpEndpoint.Methods(ValueConverter.Convert(Literal(x.Node, "supportedMethods"), typeof(List<string>)) as List<string>)],
                ValueConverter.Convert(Literal(x.Node, "authorize"), typeof(bool)) is true, Literal(x.Node, "policy") as string is { Length: > 0 } p ? p : null))
            .DistinctBy(r => (r.Path, string.Join(",", r.Methods), r.Authorize, r.Policy));

    private static object? Literal(ActivityNode node, string input) =>
        node.Expressions.GetValueOrDefault(input) is { } e && e.Type is Abstractions.Expression.Literal or "" or Abstractions.Expression.Object or Abstractions.Expression.Json
            ? JsonValues.ToClr(e.Value)
            : null;

    /// <summary>A headers input (an object of names to a value or a list of values) as header lines; several values joined by commas.</summary>
    public static Dictionary<string, string> Headers(object? value) =>
        (value as IDictionary<string, object?> ?? new Dictionary<string, object?>())
            .Where(h => h.Value != null && !string.IsNullOrWhiteSpace(h.Key))
            .ToDictionary(h => h.Key, h => h.Value is List<object?> many ? string.Join(",", many) : h.Value!.ToString()!, StringComparer.OrdinalIgnoreCase);

    /// <summary>The route values when <paramref name="path"/> matches <paramref name="template"/>; null otherwise.</summary>
    public static Dictionary<string, object?>? Match(string template, string path)
    {
        var t = template.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var p = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < t.Length; i++)
        {
            var segment = t[i];
            if (segment.StartsWith('{') && segment.EndsWith('}'))
            {
                var name = segment[1..^1];
                if (name.StartsWith('*'))
                {
                    values[name.TrimStart('*')] = string.Join('/', p.Skip(i).Select(Uri.UnescapeDataString));
                    return values;
                }
                var optional = name.EndsWith('?');
                name = name.TrimEnd('?').Split(':')[0];
                if (i >= p.Length)
                {
                    if (!optional)
                        return null;
                    continue;
                }
                values[name] = Uri.UnescapeDataString(p[i]);
            }
            else if (i >= p.Length || !string.Equals(segment, p[i], StringComparison.OrdinalIgnoreCase))
                return null;
        }
        return p.Length <= t.Length ? values : null;
    }
}
