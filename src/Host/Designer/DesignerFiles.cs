using System.Text.RegularExpressions;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Followup.Host.Designer;

/// <summary>
/// How the designer's 25 MiB reach a browser: the package's pre-compressed copies (<c>.br</c>, else <c>.gz</c>) when the
/// browser takes them, fingerprinted files cached for a year (a new package has new names), the rest revalidated.
/// </summary>
public static partial class DesignerFiles
{
    private const string OriginalPathKey = "Followup.Designer.OriginalPath";

    private static readonly (string Encoding, string Suffix)[] Encodings = [("br", ".br"), ("gzip", ".gz")];

    /// <summary>Sends <c>file.wasm.br</c> for <c>file.wasm</c> to a browser that accepts Brotli (gzip likewise).</summary>
    public static WebApplication UsePrecompressed(this WebApplication app, string package, string requestPath)
    {
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                && request.Path.StartsWithSegments(requestPath, out var rest) && rest.HasValue && !rest.Value!.EndsWith(".br", StringComparison.Ordinal) && !rest.Value.EndsWith(".gz", StringComparison.Ordinal))
            {
                var accepted = request.Headers.AcceptEncoding.ToString();
                var file = Path.GetFullPath(Path.Combine(package, rest.Value.TrimStart('/')));
                foreach (var (encoding, suffix) in Encodings)
                {
                    if (accepted.Contains(encoding, StringComparison.OrdinalIgnoreCase) && file.StartsWith(Path.GetFullPath(package), StringComparison.Ordinal) && File.Exists(file + suffix))
                    {
                        context.Items[OriginalPathKey] = rest.Value;
                        context.Response.Headers.ContentEncoding = encoding;
                        request.Path = new PathString(request.Path.Value + suffix);
                        break;
                    }
                }
                context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
            }
            await next(context);
        });
        return app;
    }

    public static void PrepareResponse(HttpContext context, string fileName, FileExtensionContentTypeProvider types)
    {
        var name = context.Items[OriginalPathKey] as string ?? fileName;
        if (context.Items.ContainsKey(OriginalPathKey))
            context.Response.ContentType = types.TryGetContentType(name, out var type) ? type : "application/octet-stream";
        else
            context.Response.Headers.Remove(HeaderNames.ContentEncoding);
        context.Response.Headers.CacheControl = Fingerprinted().IsMatch(name)
            ? "public, max-age=31536000, immutable"
            : "no-cache";
    }

    /// <summary>A content hash in the name: <c>Elsa.Studio.Workflows.8p8xy3ufg9.wasm</c>, or Monaco's <c>wgsl-BhLXMOR0.js</c>.</summary>
    [GeneratedRegex(@"(\.[a-z0-9]{10}\.[a-z.]+$)|(/vs/.*-[A-Za-z0-9_]{8}\.js$)")]
    private static partial Regex Fingerprinted();
}
