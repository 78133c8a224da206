namespace Followup.Activities.Data;

/// <summary>Who changed what, when: every write through the API or the staff pages leaves one.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public required string EntityId { get; set; }

    /// <summary>JSON of the fields written (no free text beyond what was submitted).</summary>
    public string? Changes { get; set; }

    public DateTime At { get; set; }

    /// <summary>An entry with the fields written as JSON (none for a change that carries no input).</summary>
    public static AuditEntry Of(string actor, string action, string entityType, string entityId, DateTime at, object? changes = null) => new()
    {
        Actor = actor,
        Action = action,
        EntityType = entityType,
        EntityId = entityId,
        Changes = changes is null ? null : System.Text.Json.JsonSerializer.Serialize(changes, System.Text.Json.JsonSerializerOptions.Web),
        At = at,
    };
}
