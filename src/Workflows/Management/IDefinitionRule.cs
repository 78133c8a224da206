using Followup.Workflows.Definitions;

namespace Followup.Workflows.Management;

/// <summary>
/// A rule an application adds to what a definition must satisfy before it is published: each error names the activity
/// and says what to change. Registered as a service; the validator asks every rule about every activity.
/// </summary>
public interface IDefinitionRule
{
    IEnumerable<string> Check(ActivityNode node);
}
