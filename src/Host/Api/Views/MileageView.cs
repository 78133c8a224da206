using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>An odometer reading: kilometres, when, and where it came from (entry, check-in).</summary>
public sealed record MileageView(int Kilometres, DateTime ReadAt, string Source)
{
    public static MileageView From(MileageReading m) => new(m.Kilometres, m.ReadAt, m.Source);
}
