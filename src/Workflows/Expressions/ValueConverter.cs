using System.Collections;
using System.Dynamic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Followup.Workflows.Registry;
using Followup.Workflows.Serialization;

namespace Followup.Workflows.Expressions;

/// <summary>Converts evaluated values to the type an input, variable or output declares ("4" → 4 for an Int32 input).</summary>
public static class ValueConverter
{
    public static object? ConvertToAlias(object? value, string? typeName) => Convert(value, TypeAliases.Resolve(typeName));

    public static object? Convert(object? value, Type target)
    {
        if (value is null)
            return target.IsValueType && Nullable.GetUnderlyingType(target) is null ? Activator.CreateInstance(target) : null;
        target = Nullable.GetUnderlyingType(target) ?? target;

        if (target == typeof(object))
            return Normalize(value);
        if (target.IsInstanceOfType(value))
            return value;

        switch (value)
        {
            case JsonElement element:
                return Convert(JsonValues.ToClr(element), target);
            case JsonNode node when target != typeof(JsonNode) && target != typeof(JsonObject) && target != typeof(JsonArray):
                return Convert(JsonValues.ToClr(node), target);
        }

        if (target == typeof(string))
            return value is IEnumerable and not string ? JsonValues.ToNode(Normalize(value))?.ToJsonString() : JsonValues.Format(value);

        if (value is string text)
            return FromString(text, target);

        if (target.IsEnum)
            return Enum.ToObject(target, System.Convert.ToInt64(value, CultureInfo.InvariantCulture));

        if (value is IConvertible && typeof(IConvertible).IsAssignableFrom(target))
            return System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture);

        if (target == typeof(TimeSpan) && value is double or long or int)
            return TimeSpan.FromMilliseconds(System.Convert.ToDouble(value, CultureInfo.InvariantCulture));

        if (target == typeof(DateTimeOffset) && value is DateTime dt)
            return new DateTimeOffset(DateTime.SpecifyKind(dt, dt.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : dt.Kind));

        var json = JsonValues.ToNode(Normalize(value));
        return json?.Deserialize(target, JsonValues.Options);
    }

    private static object? FromString(string text, Type target)
    {
        if (target == typeof(bool))
            return bool.Parse(text.Trim());
        if (target == typeof(TimeSpan))
            return TimeSpan.Parse(text.Trim(), CultureInfo.InvariantCulture);
        if (target == typeof(DateTimeOffset))
            return DateTimeOffset.Parse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        if (target == typeof(DateTime))
            return DateTime.Parse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        if (target == typeof(Guid))
            return Guid.Parse(text.Trim());
        if (target.IsEnum)
            return Enum.Parse(target, text.Trim(), ignoreCase: true);
        if (target.IsPrimitive || target == typeof(decimal))
        {
            if (string.IsNullOrWhiteSpace(text))
                return Activator.CreateInstance(target);
            return System.Convert.ChangeType(text.Trim(), target, CultureInfo.InvariantCulture);
        }
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
            return JsonSerializer.Deserialize(text, target, JsonValues.Options);
        if (typeof(IEnumerable).IsAssignableFrom(target) && target.IsGenericType && target.GetGenericArguments()[0] == typeof(string))
            return JsonSerializer.Deserialize($"[{JsonSerializer.Serialize(text)}]", target, JsonValues.Options);
        return JsonSerializer.Deserialize(JsonSerializer.Serialize(text), target, JsonValues.Options);
    }

    /// <summary>Plain values for the <c>Object</c> type: dictionaries and lists instead of script or JSON objects.</summary>
    public static object? Normalize(object? value) => value switch
    {
        null => null,
        string or bool or int or long or double or decimal or float or short or DateTime or DateTimeOffset or TimeSpan or Guid => value,
        JsonElement element => JsonValues.ToClr(element),
        JsonNode node => JsonValues.ToClr(node),
        ExpandoObject expando => expando.ToDictionary(kv => kv.Key, kv => Normalize(kv.Value), StringComparer.Ordinal),
        IDictionary<string, object?> dict => dict.ToDictionary(kv => kv.Key, kv => Normalize(kv.Value), StringComparer.Ordinal),
        IDictionary dict => dict.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => Normalize(dict[k]), StringComparer.Ordinal),
        IEnumerable list and not string => list.Cast<object?>().Select(Normalize).ToList(),
        _ => value,
    };
}
