using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;

namespace Followup.Host.Security;

/// <summary>
/// What every request goes through: the client's address and scheme from known proxies only, security headers on
/// every answer, the antiforgery check on every state-changing request a browser could be tricked into sending, and
/// bad requests (malformed JSON, a form that is too big) answered with a 4xx problem instead of an error page.
/// </summary>
public static class HttpSecurity
{
    /// <summary>The most a request body may carry: a 10 MB photo and its form.</summary>
    public const long MaxRequestBytes = 12 * 1024 * 1024;

    public const string AntiforgeryHeader = "RequestVerificationToken";

    public static IServiceCollection AddHttpSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the proxies named here, not even one on this machine by default. (With none named the middleware is
            // not used at all: an empty list would trust every sender.)
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            o.ForwardLimit = 1;
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "followup.af";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.HeaderName = AntiforgeryHeader;
        });
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBytes);
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = MaxRequestBytes);
        // Binding errors throw in every environment, so each is answered with a problem that says what was wrong.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.ExcludedHosts.Clear();
        });
        return services;
    }

    /// <summary>The first middleware: proxies, HSTS in production, and the headers of every answer.</summary>
    public static WebApplication UseHttpSecurity(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
        if (options.KnownProxies.Count > 0 || options.KnownIPNetworks.Count > 0)
            app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
            app.UseHsts();
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                SetHeaders(context);
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// Inside the exception handler: a request that cannot be read (malformed JSON, a missing parameter, a body over
    /// the limit) is answered with its 4xx problem, which says what was wrong, instead of a server error.
    /// </summary>
    public static WebApplication UseBadRequestProblems(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                await ProblemAsync(context, ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request is too large." : "The request is not valid.", ex.Message);
            }
            catch (InvalidDataException ex) when (!context.Response.HasStarted && context.Request.HasFormContentType)
            {
                await ProblemAsync(context, ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                    "The form could not be read.", ex.Message);
            }
        });
        return app;
    }

    /// <summary>After authentication: state-changing requests must carry the antiforgery token (form field or header).</summary>
    public static WebApplication UseAntiforgeryEverywhere(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // A form endpoint was checked already by the framework's own middleware (which keeps the form unread when it failed).
            if (NeedsAntiforgery(context) && !(context.Features.Get<IAntiforgeryValidationFeature>()?.IsValid
                    ?? await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context)))
            {
                await ProblemAsync(context, StatusCodes.Status400BadRequest, "The form has expired or did not come from this site.",
                    $"Reload the page and try again. (Scripts send the token of a page in the {AntiforgeryHeader} header, or use an API key.)");
                return;
            }
            await next(context);
        });
        return app;
    }

    /// <summary>
    /// Every POST, PUT, PATCH and DELETE, except: requests that authenticate with a header (an API key, the designer's
    /// token), which a browser never adds on its own; endpoints that declare they take none (signed provider webhooks);
    /// and the job dashboard, which checks its own token.
    /// </summary>
    private static bool NeedsAntiforgery(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
            return false;
        if (context.Request.Headers.Authorization.Count > 0)
            return false;
        if (context.Request.Path.StartsWithSegments("/hangfire"))
            return false;
        return context.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is not { RequiresValidation: false };
    }

    private static void SetHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        var path = context.Request.Path;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        var designer = path.StartsWithSegments("/designer");
        headers.ContentSecurityPolicy = designer
            // The designer is a WebAssembly application with a code editor: it compiles code and starts workers.
            ? "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
            : "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
        // Pages and answers carry personal data: no copy in any cache. The designer's files are the same for everyone.
        if (!headers.ContainsKey("Cache-Control") && !(designer && Path.HasExtension(path.Value)))
            headers.CacheControl = "no-store";
    }

    private static Task ProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
