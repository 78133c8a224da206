using System.Text.Json;

namespace Followup.Host.Tests;

public sealed class OpenApiTests
{
    [Fact]
    public async Task Every_api_operation_describes_the_shape_of_its_answers()
    {
        await using var host = new HostFactory();
        var document = JsonDocument.Parse(await host.Api().GetStringAsync("/openapi/v1.json")).RootElement;
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var undescribed = new List<string>();
        var operations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal) || p.Name.StartsWith("/elsa/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                operations++;
                var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                var responses = operation.Value.GetProperty("responses").EnumerateObject().ToList();
                if (!responses.Any(r => r.Name.StartsWith('2')))
                    undescribed.Add($"{where}: no success answer");
                foreach (var response in responses.Where(r => r.Name != "204"))
                {
                    if (!response.Value.TryGetProperty("content", out var content) || !content.EnumerateObject().Any())
                    {
                        undescribed.Add($"{where} {response.Name}: no content");
                        continue;
                    }
                    foreach (var media in content.EnumerateObject())
                    {
                        if (!Describes(media.Value.GetProperty("schema"), schemas))
                            undescribed.Add($"{where} {response.Name} {media.Name}: an empty schema");
                    }
                }
            }
        }
        Assert.True(operations > 40, $"only {operations} operations");
        Assert.True(undescribed.Count == 0, string.Join(Environment.NewLine, undescribed));
    }

    /// <summary>A schema that says something: a reference to a component with properties, a type, or items that do.</summary>
    private static bool Describes(JsonElement schema, JsonElement schemas)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            return schemas.TryGetProperty(name, out var component) && (component.TryGetProperty("properties", out _) || component.TryGetProperty("type", out _));
        }
        if (schema.TryGetProperty("items", out var items))
            return Describes(items, schemas);
        return schema.TryGetProperty("type", out _) || schema.TryGetProperty("properties", out _);
    }
}
