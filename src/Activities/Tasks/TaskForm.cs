using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Followup.Activities.Tasks;

/// <summary>A task's form: its fields and the actions that complete it (each action is an outcome of the step).</summary>
public sealed record TaskForm(IReadOnlyList<TaskField> Fields, IReadOnlyList<string> Actions)
{
    public static readonly string[] FieldTypes = ["text", "multiline", "number", "money", "datetime", "choice", "multichoice", "checkbox", "acknowledgement", "photo"];

    /// <summary>A photo field's value: the id of an uploaded attachment.</summary>
    public const string AttachmentPrefix = "attachment:";

    public static TaskForm Parse(string? json, IReadOnlyList<string>? actions)
    {
        var node = string.IsNullOrWhiteSpace(json) ? new JsonObject() : JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("The task form must be a JSON object.");
        var fields = (node["fields"] as JsonArray ?? []).OfType<JsonObject>().Select(TaskField.From).ToList();
        foreach (var f in fields.Where(f => !FieldTypes.Contains(f.Type)))
            throw new ArgumentException($"Field '{f.Name}' has an unknown type '{f.Type}' (use {string.Join(", ", FieldTypes)}).");
        // An action is a name, or { "value", "label": { "zh-CN", "en" } } for the words on its button; a stored form keeps the labels under actionLabels.
        var labels = new Dictionary<string, OptionLabel>(StringComparer.Ordinal);
        var declared = new List<string>();
        foreach (var action in node["actions"] as JsonArray ?? [])
        {
            if (action is JsonObject a)
            {
                var value = a["value"]?.GetValue<string>() ?? throw new ArgumentException("An action of the form has no value.");
                declared.Add(value);
                if (a["label"] is JsonObject text)
                    labels[value] = new OptionLabel(text["zh-CN"]?.GetValue<string>() ?? value, text["en"]?.GetValue<string>() ?? value);
            }
            else if (action is not null)
            {
                declared.Add(action.GetValue<string>());
            }
        }
        foreach (var (value, stored) in node["actionLabels"] as JsonObject ?? [])
            labels[value] = new OptionLabel(stored?["zh"]?.GetValue<string>() ?? value, stored?["en"]?.GetValue<string>() ?? value);
        var names = actions is { Count: > 0 } ? actions : declared;
        return new TaskForm(fields, names.Count > 0 ? names : ["Done"]) { ActionLabels = labels };
    }

    /// <summary>What staff read on an action's button, per language; the action's name when it has no label.</summary>
    public IReadOnlyDictionary<string, OptionLabel> ActionLabels { get; init; } = new Dictionary<string, OptionLabel>();

    public string ActionText(string action, string language) =>
        ActionLabels.TryGetValue(action, out var label) ? (language == "en" ? label.En : label.Zh) : action;

    /// <summary>The form with the options of fields that take them from elsewhere filled in, by the source's name.</summary>
    public TaskForm WithOptions(Func<string, IReadOnlyList<(string Value, OptionLabel Label)>?> source) => this with
    {
        Fields = [.. Fields.Select(f => f.OptionsFrom is { } from && source(from) is { } options
            ? f with { Options = [.. options.Select(o => o.Value)], OptionLabels = options.ToDictionary(o => o.Value, o => o.Label), OptionsFrom = null }
            : f)],
    };

    public string ToJson() => JsonSerializer.Serialize(new { fields = Fields, actions = Actions, actionLabels = ActionLabels }, TaskJson.Options);

    public static TaskForm FromJson(string json) => Parse(json, null);

    /// <summary>Checks submitted values; returns the typed values, or the errors by field.</summary>
    public (Dictionary<string, object?> Values, Dictionary<string, string[]> Errors) Validate(IReadOnlyDictionary<string, string?> submitted, string action, string language)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var zh = language != "en";
        if (!Actions.Contains(action, StringComparer.Ordinal))
            errors["action"] = [zh ? $"未知操作：{action}" : $"Unknown action '{action}'."];
        foreach (var field in Fields)
        {
            submitted.TryGetValue(field.Name, out var raw);
            raw = raw?.Trim();
            if (string.IsNullOrEmpty(raw) || (field.Type is "checkbox" or "acknowledgement" && raw is "false"))
            {
                if (field.Required && (field.RequiredFor.Count == 0 || field.RequiredFor.Contains(action, StringComparer.Ordinal)))
                    errors[field.Name] = [zh ? $"请填写“{field.Label(language)}”。" : $"{field.Label(language)} is required."];
                values[field.Name] = field.Type is "checkbox" or "acknowledgement" ? false : null;
                continue;
            }
            switch (field.Type)
            {
                case "number" or "money":
                    if (decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
                        values[field.Name] = field.Type == "money" ? Math.Round(number, 2) : number;
                    else
                        errors[field.Name] = [zh ? $"“{field.Label(language)}”须为数字。" : $"{field.Label(language)} must be a number."];
                    break;
                case "datetime":
                    if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at))
                        values[field.Name] = at;
                    else
                        errors[field.Name] = [zh ? $"“{field.Label(language)}”须为日期时间。" : $"{field.Label(language)} must be a date and time."];
                    break;
                case "choice":
                    if (field.Options.Contains(raw, StringComparer.Ordinal))
                        values[field.Name] = raw;
                    else
                        errors[field.Name] = [zh ? $"“{field.Label(language)}”的选项无效。" : $"Choose one of the options for {field.Label(language)}."];
                    break;
                case "multichoice":
                    var chosen = raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (chosen.All(c => field.Options.Contains(c, StringComparer.Ordinal)))
                        values[field.Name] = chosen;
                    else
                        errors[field.Name] = [zh ? $"“{field.Label(language)}”的选项无效。" : $"Choose among the options for {field.Label(language)}."];
                    break;
                case "checkbox" or "acknowledgement":
                    values[field.Name] = raw is "true" or "on";
                    break;
                case "photo":
                    if (raw.StartsWith(AttachmentPrefix, StringComparison.Ordinal))
                        values[field.Name] = raw;
                    else
                        errors[field.Name] = [zh ? $"“{field.Label(language)}”须为上传的照片。" : $"{field.Label(language)} must be an uploaded photo."];
                    break;
                default:
                    values[field.Name] = raw;
                    break;
            }
        }
        return (values, errors);
    }
}

public sealed record TaskField(string Name, string Type, bool Required, IReadOnlyList<string> Options, string LabelZh, string LabelEn)
{
    /// <summary>The actions for which a required field must be filled; empty for all of them.</summary>
    public IReadOnlyList<string> RequiredFor { get; init; } = [];

    /// <summary>
    /// Where the options come from when the task opens, instead of the list written in the form: <c>catalog</c> for the
    /// menu catalog's items (each with its menu price), so an item added to the catalog is offered at once.
    /// </summary>
    public string? OptionsFrom { get; init; }

    /// <summary>What staff read for an option's value (a menu item's name for its code), per language.</summary>
    public IReadOnlyDictionary<string, OptionLabel> OptionLabels { get; init; } = new Dictionary<string, OptionLabel>();

    public string OptionText(string value, string language) =>
        OptionLabels.TryGetValue(value, out var label) ? (language == "en" ? label.En : label.Zh) : value;

    public string Label(string language) => language == "en" ? LabelEn : LabelZh;

    public static TaskField From(JsonObject json)
    {
        var name = json["name"]?.GetValue<string>() ?? throw new ArgumentException("Every form field needs a name.");
        var label = json["label"];
        // A form as written has label { "zh-CN", "en" } (or one text); a stored form keeps labelZh and labelEn.
        var zh = label is JsonObject l ? l["zh-CN"]?.GetValue<string>() ?? l["en"]?.GetValue<string>() : label?.GetValue<string>() ?? json["labelZh"]?.GetValue<string>();
        var en = label is JsonObject l2 ? l2["en"]?.GetValue<string>() ?? zh : json["labelEn"]?.GetValue<string>() ?? zh;
        // An option is a value, or { "value", "label": { "zh-CN", "en" } }; a stored form keeps the labels under optionLabels.
        var options = new List<string>();
        var labels = new Dictionary<string, OptionLabel>(StringComparer.Ordinal);
        foreach (var option in json["options"] as JsonArray ?? [])
        {
            if (option is JsonObject o)
            {
                var value = o["value"]?.GetValue<string>() ?? throw new ArgumentException($"An option of field '{name}' has no value.");
                options.Add(value);
                labels[value] = o["label"] is JsonObject text
                    ? new OptionLabel(text["zh-CN"]?.GetValue<string>() ?? value, text["en"]?.GetValue<string>() ?? value)
                    : new OptionLabel(o["label"]?.GetValue<string>() ?? value, o["label"]?.GetValue<string>() ?? value);
            }
            else
            {
                options.Add(option!.GetValue<string>());
            }
        }
        foreach (var (value, stored) in json["optionLabels"] as JsonObject ?? [])
            labels[value] = new OptionLabel(stored?["zh"]?.GetValue<string>() ?? value, stored?["en"]?.GetValue<string>() ?? value);
        var requiredFor = (json["requiredFor"] as JsonArray)?.Select(a => a!.GetValue<string>()).ToList() ?? [];
        return new TaskField(name, json["type"]?.GetValue<string>() ?? "text", json["required"]?.GetValue<bool>() ?? requiredFor.Count > 0, options, zh ?? name, en ?? name)
        {
            RequiredFor = requiredFor,
            OptionLabels = labels,
            OptionsFrom = json["optionsFrom"]?.GetValue<string>(),
        };
    }
}

public sealed record OptionLabel(string Zh, string En);

internal static class TaskJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
