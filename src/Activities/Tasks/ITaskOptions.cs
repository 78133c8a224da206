namespace Followup.Activities.Tasks;

/// <summary>Options a task's field takes from elsewhere when the task opens (<see cref="TaskField.OptionsFrom"/>).</summary>
public interface ITaskOptions
{
    /// <summary>The options of a source, each a value with its words; null for a source this does not know.</summary>
    Task<IReadOnlyList<(string Value, OptionLabel Label)>?> ListAsync(string source, CancellationToken cancellationToken);
}
