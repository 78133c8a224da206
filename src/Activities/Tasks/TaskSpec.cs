namespace Followup.Activities.Tasks;

/// <summary>
/// What a task is: its text (in <paramref name="Language"/>, and in the other language for staff who read that one),
/// form, who works it (and who may not: <paramref name="NotBy"/>) and its SLA.
/// </summary>
public sealed record TaskSpec(string Title, string? Instructions, string Language, TaskForm Form, string? Role, string? User = null, TimeSpan? DueIn = null, string? EscalateTo = "Manager", string? NotBy = null)
{
    public string? TitleOther { get; init; }

    public string? InstructionsOther { get; init; }

    /// <summary>A text in Chinese and English as (the task's language, the other).</summary>
    public static (string Mine, string Other) Pick(bool en, string zh, string english) => en ? (english, zh) : (zh, english);
}
