namespace Followup.Workflows.Abstractions;

/// <summary>The names of the ports an activity completed with. A plain completion is <see cref="Default"/> ("Done").</summary>
public sealed class Outcomes
{
    public const string DoneName = "Done";

    public static readonly Outcomes Default = new([DoneName]);
    public static readonly Outcomes Empty = new([]);

    public Outcomes(IEnumerable<string> names) => Names = names.Distinct(StringComparer.Ordinal).ToArray();

    public IReadOnlyList<string> Names { get; }

    public bool Contains(string name) => Names.Contains(name, StringComparer.Ordinal);

    public static Outcomes Of(params string[] names) => names.Length == 0 ? Empty : new Outcomes(names);

    public override string ToString() => string.Join(", ", Names);
}
