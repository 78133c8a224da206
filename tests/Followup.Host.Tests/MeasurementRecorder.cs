using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Host.Tests;

/// <summary>Records what the instruments of one host's meter report while it is alive (other hosts in the process have meters of the same name).</summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value)> _values = new();

    public MeasurementRecorder(IServiceProvider host, string meterName)
    {
        var meters = host.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, meters))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, _, _) => _values.Enqueue((i.Name, v)));
        _listener.SetMeasurementEventCallback<double>((i, v, _, _) => _values.Enqueue((i.Name, v)));
        _listener.Start();
    }

    public IReadOnlyList<double> Values(string instrument) => [.. _values.Where(v => v.Instrument == instrument).Select(v => v.Value)];

    public double Sum(string instrument) => Values(instrument).Sum();

    public void Dispose() => _listener.Dispose();
}
