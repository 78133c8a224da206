using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Followup.Host.Tests;

/// <summary>Records what the instruments of one meter report while it is alive.</summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value)> _values = new();

    public MeasurementRecorder(string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
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
