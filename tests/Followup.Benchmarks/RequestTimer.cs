using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Followup.Benchmarks;

/// <summary>Every request's time as its caller saw it, by kind (method and path with ids taken out).</summary>
internal sealed partial class RequestTimer
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _byKind = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<(long Started, string Kind, double Ms)> _slow = [];
    private long _since = Stopwatch.GetTimestamp();

    /// <summary>Requests that took longer than this are kept with the moment they started, to be listed.</summary>
    private const double SlowMs = 50;

    public bool Recording { get; set; } = true;

    public HttpMessageHandler Handle() => new Handler(this);

    public static string Kind(HttpRequestMessage request) =>
        $"{request.Method} {Id().Replace(request.RequestUri!.AbsolutePath.StartsWith("/s/", StringComparison.Ordinal) ? "/s/{code}" : request.RequestUri.AbsolutePath, "/{id}")}";

    [GeneratedRegex(@"/(?=[^/]*\d)[^/]{6,}|/[A-Za-z0-9_-]{20,}")]
    private static partial Regex Id();

    public void Add(string kind, double ms, long started = 0)
    {
        _byKind.GetOrAdd(kind, _ => []).Add(ms);
        if (ms > SlowMs)
            _slow.Add((started, kind, ms));
    }

    public int Count => _byKind.Values.Sum(b => b.Count);

    public double[] All() => [.. _byKind.Values.SelectMany(b => b).Order()];

    public void Clear()
    {
        _byKind.Clear();
        _slow.Clear();
        _since = Stopwatch.GetTimestamp();
    }

    /// <summary>The slowest requests over <see cref="SlowMs"/>, each with when it started (seconds into the run): a pause shared by many shows as one moment.</summary>
    public IEnumerable<string> Slowest(int count) =>
        _slow.OrderByDescending(s => s.Ms).Take(count)
            .Select(s => $"  slow: {s.Kind,-36} {s.Ms,7:F0} ms, started {Stopwatch.GetElapsedTime(_since, s.Started).TotalSeconds,6:F2} s into the run");

    /// <summary>One line per kind of request: how many, p50, p99, and its share of all the time spent waiting.</summary>
    public IEnumerable<string> Breakdown()
    {
        var total = _byKind.Values.Sum(b => b.Sum());
        foreach (var (kind, bag) in _byKind.OrderByDescending(k => k.Value.Sum()))
        {
            var sorted = bag.Order().ToArray();
            yield return $"  {kind,-40} {sorted.Length,7} × p50 {Stats.Percentile(sorted, 50),6:F1} ms  p99 {Stats.Percentile(sorted, 99),6:F1} ms  {100 * sorted.Sum() / total,5:F1}% of request time";
        }
    }

    public sealed class Handler(RequestTimer timer) : DelegatingHandler
    {
        public HttpMessageHandler Wrap(HttpMessageHandler inner) => new Handler(timer) { InnerHandler = inner };

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            var response = await base.SendAsync(request, cancellationToken);
            // The body is read before the time is taken: a request is done when its answer has arrived.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            if (timer.Recording)
                timer.Add(Kind(request), Stopwatch.GetElapsedTime(started).TotalMilliseconds, started);
            return response;
        }
    }
}

internal static class Stats
{
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>CPU time of this process so far.</summary>
    public static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>The collections of each generation so far (0, 1, 2).</summary>
    public static int[] Collections() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

    /// <summary>The collections of each generation since <paramref name="before"/>, as a person reads them.</summary>
    public static string Collections(int[] before)
    {
        var now = Collections();
        return $"{now[0] - before[0]} collections ({now[1] - before[1]} of gen 1, {now[2] - before[2]} of gen 2)";
    }

    /// <summary>This process's calls to write files and sockets so far, and the bytes they passed (Linux); zeros elsewhere.</summary>
    public static (long Calls, long Bytes) Writes()
    {
        if (!File.Exists("/proc/self/io"))
            return (0, 0);
        var fields = File.ReadAllLines("/proc/self/io").Select(l => l.Split(':', 2)).ToDictionary(f => f[0], f => long.Parse(f[1].Trim()));
        return (fields["syscw"], fields["wchar"]);
    }
}
