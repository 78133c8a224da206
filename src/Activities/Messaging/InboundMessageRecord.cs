namespace Followup.Activities.Messaging;

/// <summary>A message a customer sent us that no workflow was waiting for: it lands in the inbox as a conversation.</summary>
public sealed class InboundMessageRecord
{
    public required string Id { get; set; }
    public required string Channel { get; set; }
    public required string From { get; set; }
    public required string Body { get; set; }
    public string? ProviderId { get; set; }
    public bool Handled { get; set; }
    public DateTime ReceivedAt { get; set; }
}
