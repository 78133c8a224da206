namespace Followup.Activities.Data;

/// <summary>A numbering series (repair orders of a year): the last number given out. Taking the next one is one atomic write.</summary>
public sealed class NumberSeries
{
    public required string Name { get; set; }
    public long Last { get; set; }
}
