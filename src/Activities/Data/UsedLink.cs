namespace Followup.Activities.Data;

/// <summary>A single-use customer link that has been used (its token's hash), so it cannot act twice.</summary>
public sealed class UsedLink
{
    public required string Hash { get; set; }
    public required string Purpose { get; set; }
    public string? RecordId { get; set; }
    public DateTime UsedAt { get; set; }
}
