using System.Net.Http.Json;
using System.Text.Json;

namespace Followup.Host.Tests;

internal static class Poll
{
    /// <summary>Waits for work done by background workers (never for time to pass: clocks in these tests are fake or the timers are already due).</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await probe();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}; last value: {JsonSerializer.Serialize(value)}");
            await Task.Delay(100);
        }
    }

    public static async Task<string> StartAsync(HttpClient api, string definitionId, object? input = null)
    {
        var response = await api.PostAsJsonAsync($"/elsa/api/workflow-definitions/{definitionId}/execute", new { input });
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("x-elsa-workflow-instance-id").Single();
    }

    /// <summary>The published version of a definition, or 0 while none is published yet (the API answers 404 until then).</summary>
    public static async Task<int> PublishedVersionAsync(HttpClient api, string definitionId)
    {
        using var response = await api.GetAsync($"/elsa/api/workflow-definitions/by-definition-id/{definitionId}?versionOptions=Published");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            return 0;
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
    }

    public static async Task<JsonElement> InstanceAsync(HttpClient api, string instanceId) =>
        (await api.GetFromJsonAsync<JsonElement>($"/elsa/api/workflow-instances/{instanceId}")).GetProperty("instance");

    public static async Task<string> IncidentsAsync(HttpClient api, string instanceId) =>
        (await api.GetFromJsonAsync<JsonElement>($"/elsa/api/workflow-instances/{instanceId}")).GetProperty("incidents").GetRawText();

    public static async Task<string> SubStatusAsync(HttpClient api, string instanceId) =>
        (await InstanceAsync(api, instanceId)).GetProperty("subStatus").GetString()!;

    public static async Task<List<JsonElement>> JournalAsync(HttpClient api, string instanceId) =>
        [.. (await api.GetFromJsonAsync<JsonElement>($"/elsa/api/workflow-instances/{instanceId}/journal")).GetProperty("items").EnumerateArray()];
}
