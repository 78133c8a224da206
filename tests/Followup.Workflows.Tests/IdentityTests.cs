using System.Collections.Concurrent;
using System.Globalization;
using Followup.Workflows.Runtime;

namespace Followup.Workflows.Tests;

public sealed class IdentityTests
{
    [Fact]
    public void Ids_AreVersion7Uuids_StampedWithTheirMillisecond_AndNeverRepeat()
    {
        var ids = new SequentialGuidIdentityGenerator();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var made = new ConcurrentBag<string>();
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 50_000; i++)
                made.Add(ids.NewId());
        });
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.Equal(made.Count, made.Distinct().Count());
        foreach (var id in made.Take(1_000))
        {
            var uuid = Guid.ParseExact(id, "N");
            Assert.Equal((7, id), (uuid.Version, uuid.ToString("N")));
            Assert.Contains(id[16], "89ab"); // the RFC 9562 variant
            Assert.InRange(long.Parse(id[..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture), before, after);
        }
    }
}
