using System.Net;
using Followup.Host.Security;
using Followup.Host.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

using Followup.Host.Pages;

namespace Followup.Host.Designer;

/// <summary>
/// The unmodified Elsa Studio (npm <c>@elsa-workflows/elsa-studio-wasm</c>, installed by the build) at <c>/designer</c>:
/// our own host pages for the definition list and the editor, for managers; the package's files served byte-exact.
/// </summary>
public static class DesignerPages
{
    public const string PackagePath = "designer/node_modules/@elsa-workflows/elsa-studio-wasm";

    private static readonly string[] Styles =
    [
        "_content/MudBlazor/MudBlazor.min.css", "_content/CodeBeam.MudBlazor.Extensions/MudExtensions.min.css",
        "_content/Radzen.Blazor/css/material-base.css", "_content/Elsa.Studio.Shell/css/shell.css", "Elsa.Studio.Host.CustomElements.styles.css",
    ];

    private static readonly string[] Scripts =
    [
        "_content/BlazorMonaco/jsInterop.js", "_content/BlazorMonaco/lib/monaco-editor/min/vs/loader.js",
        "_content/BlazorMonaco/lib/monaco-editor/min/vs/editor/editor.main.js", "_content/MudBlazor/MudBlazor.min.js",
        "_content/CodeBeam.MudBlazor.Extensions/MudExtensions.min.js", "_content/Radzen.Blazor/Radzen.Blazor.js", "_framework/blazor.webassembly.js",
    ];

    public static string? FindPackage(IWebHostEnvironment environment, IConfiguration configuration) =>
        new[] { configuration["Designer:Path"], Path.Combine(environment.ContentRootPath, PackagePath), Path.Combine(AppContext.BaseDirectory, PackagePath) }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(Path.Combine(p, "_framework", "blazor.webassembly.js")));

    public static WebApplication MapDesigner(this WebApplication app)
    {
        var package = FindPackage(app.Environment, app.Configuration);
        if (package != null)
        {
            var types = new FileExtensionContentTypeProvider();
            types.Mappings[".dat"] = "application/octet-stream";
            types.Mappings[".wasm"] = "application/wasm";
            types.Mappings[".blat"] = "application/octet-stream";
            types.Mappings[".pdb"] = "application/octet-stream";
            types.Mappings[".br"] = "application/octet-stream";
            app.UsePrecompressed(package, "/designer");
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(package),
                RequestPath = "/designer",
                ContentTypeProvider = types,
                OnPrepareResponse = file => DesignerFiles.PrepareResponse(file.Context, file.File.Name, types),
            });
        }
        var managers = app.MapGroup("/designer").RequireStaff(Roles.Manager);
        managers.MapGet("/", (HttpContext context, DesignerTokens tokens, UserManager<StaffUser> users) => PageAsync(context, tokens, users, package, null));
        managers.MapGet("/edit/{definitionId}", (string definitionId, HttpContext context, DesignerTokens tokens, UserManager<StaffUser> users) => PageAsync(context, tokens, users, package, definitionId));
        return app;
    }

    private static async Task<IResult> PageAsync(HttpContext context, DesignerTokens tokens, UserManager<StaffUser> users, string? package, string? definitionId)
    {
        var lang = StaffText.Language(context);
        string T(string key) => WebUtility.HtmlEncode(StaffText.Get(lang, key));
        if (package is null)
            return StaffPages.Markup(context, StaffText.Get(lang, "designer"), $"<p class=\"error\">{T("missing")}</p>", StatusCodes.Status503ServiceUnavailable);
        var endpoint = WebUtility.HtmlEncode($"{context.Request.Scheme}://{context.Request.Host}/elsa/api");
        var user = await users.GetUserAsync(context.User);
        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var token = WebUtility.HtmlEncode(tokens.Issue(context.User, user?.SecurityStamp ?? "", session.Properties?.ExpiresUtc));
        var element = definitionId is null
            ? $"<elsa-workflow-definition-list remote-endpoint=\"{endpoint}\" access-token=\"{token}\"></elsa-workflow-definition-list>"
            : $"<elsa-workflow-definition-editor definition-id=\"{WebUtility.HtmlEncode(definitionId)}\" remote-endpoint=\"{endpoint}\" access-token=\"{token}\"></elsa-workflow-definition-editor>";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="{{lang}}">
            <head>
              <meta charset="utf-8"/>
              <meta name="viewport" content="width=device-width, initial-scale=1.0"/>
              <title>{{T("designer")}} · Followup</title>
              <base href="/designer/"/>
              {{string.Concat(Styles.Select(s => $"<link href=\"{s}\" rel=\"stylesheet\"/>\n"))}}
              <style>
                body { margin: 0; font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; }
                .followup-bar { display: flex; gap: 1.5rem; align-items: center; padding: .5rem 1rem; background: #1f4e8c; color: #fff; }
                .followup-bar a, .followup-bar button { color: #fff; background: none; border: 0; font: inherit; cursor: pointer; text-decoration: none; }
                .followup-bar form { margin-left: auto; }
                .followup-main { height: calc(100vh - 44px); }
              </style>
            </head>
            <body>
              <nav class="followup-bar">
                <strong>Followup · {{T("designer")}}</strong>
                <a href="/designer/">{{T("workflows")}}</a>
                <a href="/designer/instances">{{T("instances")}}</a>
                <form method="post" action="/account/logout">{{AccountPages.AntiforgeryField(context)}}<button type="submit">{{T("signout")}}</button></form>
              </nav>
              <main class="followup-main">{{element}}</main>
              <div id="blazor-error-ui">An unhandled error has occurred. <a href="" class="reload">Reload</a> <a class="dismiss">🗙</a></div>
              {{string.Concat(Scripts.Select(s => $"<script src=\"{s}\"></script>\n"))}}
              <script>
                // The editor's Run moves the address to its own instance view: show the run's page instead, so a run is seen.
                (function () {
                  const push = history.pushState.bind(history);
                  history.pushState = function (state, title, url) {
                    const run = url && String(url).match(/workflows\/instances\/([^\/?#]+)\/view/);
                    if (run) { location.href = '/designer/instances/' + run[1]; return; }
                    return push(state, title, url);
                  };
                })();
                customElements.whenDefined('elsa-workflow-definition-list').then(() => {
                  const list = document.querySelector('elsa-workflow-definition-list');
                  if (list) list.editWorkflowDefinition = id => { location.href = '/designer/edit/' + encodeURIComponent(id); };
                });
              </script>
            </body>
            </html>
            """;
        return AccountPages.Html(html);
    }
}
