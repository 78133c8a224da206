namespace Followup.Host.Pages;

/// <summary>The staff pages' one stylesheet and the favicon, served with a day's cache.</summary>
public static class StaffAssets
{
    public static WebApplication MapStaffAssets(this WebApplication app)
    {
        app.MapGet("/staff.css", (HttpContext context) => Cached(context, Css, "text/css; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/favicon.svg", (HttpContext context) => Cached(context, Favicon, "image/svg+xml")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/favicon.ico", (HttpContext context) => Cached(context, Favicon, "image/svg+xml")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Cached(HttpContext context, string content, string type)
    {
        context.Response.Headers.CacheControl = "public, max-age=86400";
        return Results.Text(content, type);
    }

    public const string Favicon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f4e8c"/><path d="M9 8h14v4H14v3h8v4h-8v6H9z" fill="#fff"/></svg>
        """;

    public const string Css = """
        * { box-sizing: border-box; }
        body { font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; background: #f4f5f7; margin: 0; color: #1d1d1f; overflow-wrap: anywhere; }
        a { color: #1f4e8c; }
        .bar { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem 1rem; background: #1f4e8c; color: #fff; padding: .5rem 1rem; }
        .bar a { color: #fff; text-decoration: none; } .bar nav { display: flex; flex-wrap: wrap; gap: .2rem .9rem; }
        .bar nav a.here { text-decoration: underline; } .bar .brand { font-weight: 700; } .bar .spacer { flex: 1; }
        .bar .signout button { background: transparent; color: #fff; border: 1px solid #fff8; padding: .25rem .7rem; border-radius: 4px; cursor: pointer; font-size: .9rem; }
        .page { max-width: 1100px; margin: 1rem auto; padding: 0 .8rem; }
        .wide, .card, .panel { background: #fff; padding: 1.2rem 1.5rem; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.1); margin-bottom: 1rem; }
        .card { max-width: 420px; margin: 8vh auto; display: grid; gap: 1rem; }
        h1 { font-size: 1.35rem; margin: 0 0 .8rem; } h2 { font-size: 1.1rem; margin: 1.2rem 0 .5rem; }
        table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #ddd; padding: .45rem; text-align: left; vertical-align: top; }
        tr.overdue td { background: #fff3e0; } td.time { white-space: nowrap; overflow-wrap: normal; }
        label { display: grid; gap: .3rem; font-size: .95rem; } label.inline { display: inline-flex; align-items: center; gap: .35rem; margin-right: 1rem; }
        input, select, textarea { padding: .5rem; font-size: 1rem; border: 1px solid #bbb; border-radius: 4px; max-width: 100%; font-family: inherit; }
        input[type=checkbox], input[type=radio] { width: 1.1rem; height: 1.1rem; }
        button, .button { padding: .5rem 1rem; font-size: 1rem; background: #1f4e8c; color: #fff; border: 0; border-radius: 4px; cursor: pointer; text-decoration: none; display: inline-block; }
        button.secondary, .button.secondary { background: #fff; color: #1f4e8c; border: 1px solid #1f4e8c; }
        button.danger { background: #b00020; }
        .form { display: grid; gap: .8rem; max-width: 640px; } .row { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; }
        .actions { display: flex; flex-wrap: wrap; gap: .6rem; } td form, .inline-form { display: inline; }
        .error { color: #b00020; display: block; } .notice { background: #e8f5e9; padding: .6rem; border-radius: 4px; }
        .hint { color: #555; font-size: .85rem; } .muted { color: #666; } .tag { display: inline-block; padding: .05rem .45rem; border-radius: 3px; background: #e3ebf6; font-size: .85rem; }
        .lang { font-size: .9rem; }
        @media (max-width: 700px) { .page { padding: 0; margin: 0; } .wide, .panel { border-radius: 0; padding: 1rem; } table.compact td:nth-child(n+4), table.compact th:nth-child(n+4) { display: none; } }
        """;
}
