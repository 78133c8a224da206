using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Approvals;

/// <summary>A line to approve; <paramref name="ApprovedBefore"/> is the price the customer approved for it earlier, when it now costs more.</summary>
public sealed record ApprovalLine(string Id, string Description, string? Reason, decimal Labour, decimal Parts, decimal? Hours, decimal? ApprovedBefore = null)
{
    public decimal Price => Labour + Parts;
}

public static class ApprovalContent
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<ApprovalLine> Lines(string content) =>
        JsonSerializer.Deserialize<Content>(content, Json)?.Lines ?? [];

    public static string Serialize(IReadOnlyList<ApprovalLine> lines) => JsonSerializer.Serialize(new Content(lines), Json);

    public static IReadOnlyList<ApprovalLine> Parse(string? json)
    {
        var node = string.IsNullOrWhiteSpace(json) ? null : JsonNode.Parse(json);
        var items = node as JsonArray ?? (node?["lines"] as JsonArray) ?? throw new ArgumentException("An approval needs its lines: [{ id, description, labour, parts }].");
        var lines = items.OfType<JsonObject>().Select((l, i) => new ApprovalLine(
            l["id"]?.ToString() ?? (i + 1).ToString(CultureInfo.InvariantCulture),
            l["description"]?.GetValue<string>() ?? throw new ArgumentException($"Line {i + 1} has no description."),
            l["reason"]?.GetValue<string>(),
            l["labour"]?.GetValue<decimal>() ?? 0,
            l["parts"]?.GetValue<decimal>() ?? 0,
            l["hours"]?.GetValue<decimal>(),
            l["approvedBefore"]?.GetValue<decimal>())).ToList();
        return lines;
    }

    private sealed record Content(IReadOnlyList<ApprovalLine> Lines);
}
