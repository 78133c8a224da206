using Followup.Workflows.Scheduling;

namespace Followup.Workflows.Tests;

public sealed class LockTests
{
    [Fact]
    public async Task A_named_lock_taken_is_refused_to_a_try_until_released_and_is_not_an_instances_lock()
    {
        var locks = new InProcessWorkflowLock();
        var held = await locks.TryAcquireNamedAsync("timer:1", CancellationToken.None);
        Assert.NotNull(held);
        Assert.Null(await locks.TryAcquireNamedAsync("timer:1", CancellationToken.None));
        Assert.NotNull(await locks.TryAcquireNamedAsync("timer:2", CancellationToken.None));
        await using (await locks.AcquireAsync("timer:1", CancellationToken.None))
        {
            // An instance called the same is another lock.
        }
        var waiting = locks.AcquireNamedAsync("timer:1", CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        await held!.DisposeAsync();
        await using (await waiting)
            Assert.Null(await locks.TryAcquireNamedAsync("timer:1", CancellationToken.None));
        await using var again = await locks.TryAcquireNamedAsync("timer:1", CancellationToken.None);
        Assert.NotNull(again);
    }
}
