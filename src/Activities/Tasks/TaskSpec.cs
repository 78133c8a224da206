namespace Followup.Activities.Tasks;

/// <summary>What a task is: its text, form, who works it (and who may not: <paramref name="NotBy"/>) and its SLA.</summary>
public sealed record TaskSpec(string Title, string? Instructions, string Language, TaskForm Form, string? Role, string? User = null, TimeSpan? DueIn = null, string? EscalateTo = "Manager", string? NotBy = null);
