using System.Diagnostics;

namespace Followup.Workflows.Runtime;

/// <summary>
/// Named places between two writes where the process can be made to die on the spot (SIGKILL, as <c>kill -9</c>):
/// crash tests arm one of them to prove that a crash there loses nothing and does nothing twice. Unarmed (the
/// default, and always outside those tests) a point costs one comparison.
/// </summary>
public sealed class CrashPoints(string? armed = null, int onHit = 1)
{
    private int _hits;

    /// <summary>The process is killed here when this point is armed and reached for the <c>onHit</c>-th time.</summary>
    public void Reached(string point)
    {
        if (armed is null || !string.Equals(point, armed, StringComparison.Ordinal) || Interlocked.Increment(ref _hits) < onHit)
            return;
        Console.Error.WriteLine($"crash point {point} reached: killing the process");
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite);
    }
}

public static class CrashPoint
{
    /// <summary>A burst's writes are ready; its transaction has not committed.</summary>
    public const string BurstCommitting = "burst:committing";

    /// <summary>A burst committed; what follows its commit (timers, messages) has not started.</summary>
    public const string BurstCommitted = "burst:committed";

    /// <summary>A message's attempt is recorded; the provider has not been called.</summary>
    public const string MessageHandedOver = "message:handed-over";

    /// <summary>The provider accepted a message; that it was sent is not recorded yet.</summary>
    public const string MessageAccepted = "message:accepted";
}
