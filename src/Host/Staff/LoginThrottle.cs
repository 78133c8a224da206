using System.Collections.Concurrent;

namespace Followup.Host.Staff;

/// <summary>
/// Failed sign-ins counted per client address and per (address, account) over a window: past either limit, sign-in
/// from that address (for that account) is refused without trying the password until the window has passed. So a
/// stranger cannot lock a colleague out with a few wrong passwords (the account's own lockout needs many more
/// failures, from many addresses), and cannot try passwords quickly from one address. Counted in this host's memory.
/// </summary>
public sealed class LoginThrottle(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public const int PerAddressAndAccount = 5;
    public const int PerAddress = 20;

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    private sealed record Failures(DateTimeOffset Since, int Count);

    public bool IsThrottled(string address, string userName)
    {
        var now = clock.GetUtcNow();
        return Count(AddressKey(address), now) >= PerAddress || Count(PairKey(address, userName), now) >= PerAddressAndAccount;
    }

    public void Failed(string address, string userName)
    {
        var now = clock.GetUtcNow();
        foreach (var key in new[] { AddressKey(address), PairKey(address, userName) })
            _failures.AddOrUpdate(key, _ => new Failures(now, 1), (_, f) => now - f.Since > Window ? new Failures(now, 1) : f with { Count = f.Count + 1 });
        if (_failures.Count > 100_000)
        {
            foreach (var (key, f) in _failures)
            {
                if (now - f.Since > Window)
                    _failures.TryRemove(key, out _);
            }
        }
    }

    public void Succeeded(string address, string userName) => _failures.TryRemove(PairKey(address, userName), out _);

    private int Count(string key, DateTimeOffset now) => _failures.TryGetValue(key, out var f) && now - f.Since <= Window ? f.Count : 0;

    private static string AddressKey(string address) => address;

    private static string PairKey(string address, string userName) => $"{address}\n{userName.ToUpperInvariant()}";
}
