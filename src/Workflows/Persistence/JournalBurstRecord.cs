namespace Followup.Workflows.Persistence;

/// <summary>
/// The journal entries one burst committed, in one row: a burst that runs a dozen activities writes one row and one
/// index entry, not two dozen of each. <see cref="Entries"/> is JSON (<see cref="JournalEntries"/>).
/// </summary>
public sealed class JournalBurstRecord
{
    public long Id { get; set; }
    public required string InstanceId { get; set; }
    public long FirstSequence { get; set; }
    public long LastSequence { get; set; }
    public required Utf8Json Entries { get; set; }
}
