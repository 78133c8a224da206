using System.Net;
using System.Net.Http.Headers;

namespace Followup.Host.Tests;

/// <summary>The designer's files: pre-compressed when the browser takes it, cached for a year when their name has a hash.</summary>
public sealed class DesignerFilesTests
{
    private static string Package => Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Host", "designer", "node_modules", "@elsa-workflows", "elsa-studio-wasm");

    [Fact]
    public async Task A_fingerprinted_file_comes_as_brotli_or_gzip_as_accepted_and_is_cached_for_a_year()
    {
        await using var host = new HostFactory();
        var client = host.CreateClient();
        var wasm = Path.GetFileName(Directory.GetFiles(Path.Combine(Package, "_framework"), "Elsa.Studio.Workflows.*.wasm").First(f => File.Exists(f + ".br") && File.Exists(f + ".gz")));
        var path = $"/designer/_framework/{wasm}";

        foreach (var (accept, encoding, suffix) in new[] { ("br, gzip", "br", ".br"), ("gzip", "gzip", ".gz"), ("identity", null, "") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.AcceptEncoding.ParseAdd(accept);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(encoding, response.Content.Headers.ContentEncoding.SingleOrDefault());
            Assert.Equal("application/wasm", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(new FileInfo(Path.Combine(Package, "_framework", wasm + suffix)).Length, (await response.Content.ReadAsByteArrayAsync()).Length);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
        }
    }

    [Fact]
    public async Task A_file_without_a_hash_in_its_name_is_revalidated_and_an_unknown_one_is_not_found()
    {
        await using var host = new HostFactory();
        var client = host.CreateClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/designer/_framework/dotnet.js");
        request.Headers.AcceptEncoding.ParseAdd("br");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Headers.ETag);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/designer/_framework/dotnet.js");
        again.Headers.AcceptEncoding.ParseAdd("br");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/designer/_framework/no-such-file.wasm")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/designer/..%2F..%2Fappsettings.json")).StatusCode);
    }
}
