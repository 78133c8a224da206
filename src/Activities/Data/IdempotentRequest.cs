namespace Followup.Activities.Data;

/// <summary>
/// A create request sent with an <c>Idempotency-Key</c>: the answer it got, stored with what it created in one
/// transaction, so a client that repeats the request (its answer was lost) gets the same answer and creates nothing.
/// </summary>
public sealed class IdempotentRequest
{
    /// <summary>Who sent it and where: a key is the caller's own.</summary>
    public required string Scope { get; set; }
    public required string Key { get; set; }

    /// <summary>SHA-256 of the request body: the same key with another body is refused.</summary>
    public required string RequestHash { get; set; }

    public int StatusCode { get; set; }
    public string? Location { get; set; }
    public required string Response { get; set; }
    public DateTime CreatedAt { get; set; }
}
