namespace Followup.Workflows.Configuration;

/// <summary>
/// Settings that say what is wrong with them. Registered with <see cref="CheckedOptions.AddCheckedOptions{T}"/>, they are
/// checked when the host starts: a wrong setting stops it with a message naming the setting, instead of failing later.
/// </summary>
public interface ICheckedOptions
{
    /// <summary>What is wrong, each as "Key: what is expected" (the key relative to the section).</summary>
    IEnumerable<string> Problems();
}
