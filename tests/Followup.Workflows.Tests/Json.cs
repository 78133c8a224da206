namespace Followup.Workflows.Tests;

/// <summary>Small builders for Elsa workflow JSON in tests.</summary>
internal static class Json
{
    public static string Workflow(string id, string[] activities, string[] connections, string extra = "", string rootExtra = "") => $$"""
        { "id": "{{id}}-v1", "definitionId": "{{id}}", "name": "{{id}}", "version": 1, "isLatest": true, "isPublished": true, {{extra}}
          "root": { "id": "flow1", "type": "Elsa.Flowchart", "version": 1, {{rootExtra}}
                    "activities": [ {{string.Join(",", activities)}} ], "connections": [ {{string.Join(",", connections)}} ] } }
        """;

    /// <summary>A workflow whose root is the given activity (a Sequence, a Parallel...).</summary>
    public static string WorkflowOf(string id, string root, string extra = "") => $$"""
        { "id": "{{id}}-v1", "definitionId": "{{id}}", "name": "{{id}}", "version": 1, "isLatest": true, "isPublished": true, {{extra}} "root": {{root}} }
        """;

    /// <summary>A container (Sequence, Parallel) of the given activities.</summary>
    public static string Container(string id, string type, params string[] activities) =>
        $$"""{ "id": "{{id}}", "type": "{{type}}", "version": 1, "activities": [ {{string.Join(",", activities)}} ] }""";

    public static string Activity(string id, string type, string inputs = "", string custom = "") =>
        $$"""{ "id": "{{id}}", "type": "{{type}}", "version": 1 {{(inputs.Length > 0 ? "," + inputs : "")}}, "customProperties": { {{custom}} }, "metadata": { "designer": { "position": { "x": 1, "y": 2 } } } }""";

    public static string WriteLine(string id, string text, string language = "Literal") =>
        Activity(id, "Elsa.WriteLine", Input("text", "String", text, language));

    public static string Input(string name, string type, string value, string language = "Literal") =>
        $$"""
        "{{name}}": { "typeName": "{{type}}", "expression": { "type": "{{language}}", "value": {{System.Text.Json.JsonSerializer.Serialize(value)}} } }
        """;

    public static string Connection(string from, string to, string port = "Done") =>
        $$"""{ "source": { "activity": "{{from}}", "port": "{{port}}" }, "target": { "activity": "{{to}}", "port": "In" } }""";

    public static string Event(string id, string name) => Activity(id, "Elsa.Event", Input("eventName", "String", name));

    public static string Delay(string id, string timeSpan) => Activity(id, "Elsa.Delay", Input("timeSpan", "TimeSpan", timeSpan));

    public static string Decision(string id, string condition, string language = "JavaScript") =>
        Activity(id, "Elsa.FlowDecision", Input("condition", "Boolean", condition, language));
}
