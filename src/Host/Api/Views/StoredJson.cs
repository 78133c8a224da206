using System.Text.Json;
using System.Text.Json.Serialization;

namespace Followup.Host.Api.Views;

/// <summary>
/// JSON the store wrote itself (a task's form, an approval's lines), sent on as it is kept: a list of 200 tasks then
/// costs no parse and no second serialisation of each form.
/// </summary>
[JsonConverter(typeof(Converter))]
public readonly record struct StoredJson(string Json)
{
    public static StoredJson? Of(string? json) => json is null ? null : new StoredJson(json);

    private sealed class Converter : JsonConverter<StoredJson>
    {
        public override StoredJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return new StoredJson(document.RootElement.GetRawText());
        }

        // Checked as it is written: a row broken by hand fails the response rather than sending broken JSON.
        public override void Write(Utf8JsonWriter writer, StoredJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Json);
    }
}
