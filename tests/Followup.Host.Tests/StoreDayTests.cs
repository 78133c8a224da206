namespace Followup.Host.Tests;

/// <summary>
/// The shipped process under a store's load of mixed choices: 200 visits with every customer and staff choice drawn
/// from a seeded random source, then the invariants a service manager relies on. The seed is printed; replay a failing
/// one with <c>FOLLOWUP_SIMULATION_SEED=&lt;seed&gt;</c> (and a shorter day with <c>FOLLOWUP_SIMULATION_VISITS</c>).
/// </summary>
public sealed class StoreDayTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_hundred_visits_with_random_choices_keep_every_invariant()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FOLLOWUP_SIMULATION_SEED"), out var given) ? given : 20261205;
        var visits = int.TryParse(Environment.GetEnvironmentVariable("FOLLOWUP_SIMULATION_VISITS"), out var count) ? count : 200;
        output.WriteLine($"Store-day simulation, seed {seed}, {visits} entries");
        await using var desk = await ServiceDesk.OpenAsync(host => host.Settings["CustomerPages:RequestsPerMinute"] = "100000"); // every customer's phone is the test's
        try
        {
            await new StoreDaySimulation(desk, seed, output.WriteLine).RunAsync(visits);
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"The store-day simulation failed with seed {seed} (replay it with FOLLOWUP_SIMULATION_SEED={seed}):\n{ex}");
        }
    }
}
