using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Followup.Benchmarks;

/// <summary>The runtime's allocation ticks (one per ~100 KB allocated) counted by the type that crossed the tick.</summary>
internal sealed class AllocationTypes : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    public bool On { get; set; }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!On || e.EventName != "GCAllocationTick_V4" || e.Payload is null)
            return;
        var type = e.Payload[e.PayloadNames!.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(type, amount, (_, v) => v + amount);
    }

    public IEnumerable<string> Top(int n, int per)
    {
        var total = _bytes.Values.Sum();
        return _bytes.OrderByDescending(kv => kv.Value).Take(n).Select(kv => $"  {kv.Value * 100.0 / total,5:F1}%  {kv.Value / per / 1024,7} KiB per visit  {kv.Key}");
    }
}
