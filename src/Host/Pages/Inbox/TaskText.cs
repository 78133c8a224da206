using Followup.Activities.Tasks;
using Followup.Host.Staff;

namespace Followup.Host.Pages.Inbox;

/// <summary>A task as staff read it.</summary>
public static class TaskText
{
    /// <summary>Who holds a task: the person, or the role in the reader's words.</summary>
    public static string Holder(HumanTaskRecord task, string lang) =>
        task.ClaimedBy ?? task.AssigneeUser ?? (task.AssigneeRole is { } role ? StaffText.RoleName(lang, role) : "");

    /// <summary>A field's label with when it must be filled: always, or for the named actions only.</summary>
    public static string Label(TaskForm form, TaskField field, string lang)
    {
        var label = field.Label(lang);
        if (!field.Required)
            return label;
        if (field.RequiredFor.Count == 0)
            return lang == "en" ? $"{label} (required)" : $"{label}（必填）";
        var actions = field.RequiredFor.Select(a => form.ActionText(a, lang)).ToList();
        return lang == "en" ? $"{label} (required for “{string.Join("”, “", actions)}”)" : $"{label}（选择“{string.Join("”“", actions)}”时必填）";
    }
}
