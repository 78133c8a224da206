using Followup.Activities.Tasks;

namespace Followup.Host.Api.Views;

/// <summary>An open task in someone's inbox: what to do, for which visit, whose it is, when it is due, and its form.</summary>
public sealed record TaskView(string Id, string Title, string? Instructions, string? CorrelationId, string InstanceId, string ActivityId, string? AssigneeRole,
    string? AssigneeUser, string? ClaimedBy, DateTime? DueAt, DateTime? EscalatedAt, string Status, StoredJson Form)
{
    public static TaskView From(HumanTaskRecord t) => new(t.Id, t.Title, t.Instructions, t.CorrelationId, t.InstanceId, t.ActivityId, t.AssigneeRole,
        t.AssigneeUser, t.ClaimedBy, t.DueAt, t.EscalatedAt, t.Status, new StoredJson(t.Form));
}
