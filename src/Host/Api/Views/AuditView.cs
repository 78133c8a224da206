using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>Who changed what and when; <c>changes</c> is the request or step values as JSON.</summary>
public sealed record AuditView(long Id, string Actor, string Action, string EntityType, string EntityId, string? Changes, DateTime At)
{
    public static AuditView From(AuditEntry a) => new(a.Id, a.Actor, a.Action, a.EntityType, a.EntityId, a.Changes, a.At);
}
