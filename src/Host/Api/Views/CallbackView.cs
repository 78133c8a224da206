using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>The satisfaction callback after delivery: when it is due, attempts, the score and whether the problem was resolved.</summary>
public sealed record CallbackView(string Id, DateTime DueAt, DateTime DeadlineAt, string Mode, string Status, int Attempts, int? Score, bool? Resolved, string? Comments,
    string? Agent, bool Escalated, DateTime? DoneAt)
{
    public static CallbackView From(CallbackRecord c) => new(c.Id, c.DueAt, c.DeadlineAt, c.Mode, c.Status, c.Attempts, c.Score, c.Resolved, c.Comments, c.Agent, c.Escalated, c.DoneAt);
}
