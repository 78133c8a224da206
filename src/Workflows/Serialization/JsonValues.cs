using System.Dynamic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Followup.Workflows.Serialization;

/// <summary>Conversions between CLR values and JSON for persisted state: what goes in comes back as plain values.</summary>
public static class JsonValues
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }

    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        ExpandoObject expando => ToObject(expando!),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), Options),
    };

    public static JsonObject ToObject(IEnumerable<KeyValuePair<string, object?>> values)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in values)
            obj[k] = ToNode(v);
        return obj;
    }

    /// <summary>JSON to plain CLR values: string, bool, long or double, Dictionary and List.</summary>
    public static object? ToClr(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => ToDictionary(obj),
        JsonArray array => array.Select(ToClr).ToList(),
        JsonValue value => ValueOf(value),
        _ => null,
    };

    public static object? ToClr(JsonElement element) => ToClr(JsonNode.Parse(element.GetRawText()));

    public static Dictionary<string, object?> ToDictionary(JsonObject obj, IEqualityComparer<string>? comparer = null)
    {
        var result = new Dictionary<string, object?>(comparer ?? StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in obj)
            result[k] = ToClr(v);
        return result;
    }

    private static object? ValueOf(JsonValue value)
    {
        var element = value.TryGetValue<JsonElement>(out var e) ? e : value.Deserialize<JsonElement>();
        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when element.TryGetInt64(out var l) => l,
            JsonValueKind.Number => element.GetDouble(),
            JsonValueKind.Null => null,
            _ => element.GetRawText(),
        };
    }

    /// <summary>Converts a stored value (plain CLR or JSON) to <typeparamref name="T"/>.</summary>
    public static T? Convert<T>(object? value)
    {
        if (value is T typed)
            return typed;
        if (value is null)
            return default;
        if (value is JsonElement element)
            return element.Deserialize<T>(Options);
        var node = value as JsonNode ?? ToNode(value);
        return node is null ? default : node.Deserialize<T>(Options);
    }

    public static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => ToNode(value)?.ToJsonString(Options) ?? "",
    };
}
