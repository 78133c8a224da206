using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Followup.Workflows.Registry;

/// <summary>Elsa's type aliases ("String", "Int32", "Object", ...) in both directions.</summary>
public static class TypeAliases
{
    private static readonly Dictionary<string, Type> ByAlias = new(StringComparer.OrdinalIgnoreCase)
    {
        ["String"] = typeof(string),
        ["Boolean"] = typeof(bool),
        ["Int16"] = typeof(short),
        ["Int32"] = typeof(int),
        ["Int64"] = typeof(long),
        ["Long"] = typeof(long),
        ["Single"] = typeof(float),
        ["Double"] = typeof(double),
        ["Decimal"] = typeof(decimal),
        ["Object"] = typeof(object),
        ["ByteArray"] = typeof(byte[]),
        ["Guid"] = typeof(Guid),
        ["DateTime"] = typeof(DateTime),
        ["DateTimeOffset"] = typeof(DateTimeOffset),
        ["TimeSpan"] = typeof(TimeSpan),
        ["JSON"] = typeof(object),
        ["JsonElement"] = typeof(JsonElement),
        ["JsonNode"] = typeof(JsonNode),
        ["JsonObject"] = typeof(JsonObject),
        ["JsonArray"] = typeof(JsonArray),
        ["StringDictionary"] = typeof(Dictionary<string, string>),
        ["ObjectDictionary"] = typeof(Dictionary<string, object>),
        ["StringMap"] = typeof(Dictionary<string, string>),
        ["ObjectMap"] = typeof(Dictionary<string, object>),
    };

    private static readonly Dictionary<Type, string> ByType = new()
    {
        [typeof(string)] = "String",
        [typeof(bool)] = "Boolean",
        [typeof(short)] = "Int16",
        [typeof(int)] = "Int32",
        [typeof(long)] = "Int64",
        [typeof(float)] = "Single",
        [typeof(double)] = "Double",
        [typeof(decimal)] = "Decimal",
        [typeof(object)] = "Object",
        [typeof(byte[])] = "ByteArray",
        [typeof(Guid)] = "Guid",
        [typeof(DateTime)] = "DateTime",
        [typeof(DateTimeOffset)] = "DateTimeOffset",
        [typeof(TimeSpan)] = "TimeSpan",
        [typeof(JsonElement)] = "JsonElement",
        [typeof(JsonNode)] = "JsonNode",
        [typeof(JsonObject)] = "JsonObject",
        [typeof(JsonArray)] = "JsonArray",
        [typeof(Dictionary<string, string>)] = "StringDictionary",
        [typeof(Dictionary<string, object>)] = "ObjectDictionary",
        [typeof(IDictionary<string, object>)] = "ObjectDictionary",
    };

    /// <summary>The CLR type of an alias such as "Int32", "String[]" or "List&lt;String&gt;"; <c>object</c> when unknown.</summary>
    public static Type Resolve(string? alias)
    {
        if (string.IsNullOrWhiteSpace(alias))
            return typeof(object);
        if (ByAlias.TryGetValue(alias, out var t))
            return t;
        if (alias.EndsWith("[]", StringComparison.Ordinal))
            return Resolve(alias[..^2]).MakeArrayType();
        if (alias.StartsWith("List<", StringComparison.Ordinal) && alias.EndsWith('>'))
            return typeof(List<>).MakeGenericType(Resolve(alias[5..^1]));
        return typeof(object);
    }

    public static string AliasOf(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (ByType.TryGetValue(underlying, out var alias))
            return alias;
        if (underlying.IsArray)
            return AliasOf(underlying.GetElementType()!) + "[]";
        if (underlying.IsGenericType && typeof(IEnumerable).IsAssignableFrom(underlying) && underlying.GetGenericArguments().Length == 1)
            return $"List<{AliasOf(underlying.GetGenericArguments()[0])}>";
        return underlying.IsEnum ? underlying.Name : "Object";
    }
}
