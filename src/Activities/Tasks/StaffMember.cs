using Followup.Workflows.Runtime;

namespace Followup.Activities.Tasks;

/// <summary>A staff member as the task rules see them.</summary>
public sealed record StaffMember(string UserName, IReadOnlyList<string> Roles)
{
    public bool IsManager => Roles.Contains("Manager");
}
