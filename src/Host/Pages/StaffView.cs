using System.Security.Claims;
using Followup.Activities.Messaging;
using Followup.Host.Security;
using Followup.Host.Staff;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Followup.Host.Pages;

/// <summary>
/// What every staff page needs from the request: the reader's language, who is signed in and in which roles, the
/// antiforgery token for its forms, and the store's clock for showing times (every time on a staff page is store time).
/// </summary>
public sealed class StaffView
{
    public required string Lang { get; init; }
    public required string Path { get; init; }
    public string? UserName { get; init; }
    public IReadOnlySet<string> Roles { get; init; } = new HashSet<string>();
    public required string TokenName { get; init; }
    public required string Token { get; init; }
    public required MessagingOptions Messaging { get; init; }

    /// <summary>The store as its settings say (name, currency, hours).</summary>
    public required Activities.Service.StoreOptions Store { get; init; }

    /// <summary>Whether this person sees customers' contact details (<see cref="Security.Roles.CustomerContact"/>).</summary>
    public bool SeesCustomerContact => Is(Security.Roles.CustomerContact);

    public bool En => Lang == "en";
    public bool SignedIn => UserName != null;
    public bool Is(params string[] roles) => roles.Any(Roles.Contains);

    /// <summary>The same page in the other language.</summary>
    public string OtherLanguageHref => Path + QueryString.Create(Query.Where(p => p.Key != "lang").Append(new("lang", En ? "zh-CN" : "en")));

    public IReadOnlyList<KeyValuePair<string, string?>> Query { get; init; } = [];

    /// <summary>Chinese or English, as the reader reads.</summary>
    public string T(string zh, string en) => En ? en : zh;

    public string T(string key) => StaffText.Get(Lang, key);

    /// <summary>A time in the store's time zone.</summary>
    public string Time(DateTime? utc, string format = "yyyy-MM-dd HH:mm") => utc is { } t ? Messaging.Show(t, format) : "—";

    public static StaffView From(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var user = context.User;
        var signedIn = user.Identity?.IsAuthenticated == true && user.Identity.AuthenticationType != null;
        return new StaffView
        {
            Lang = StaffText.Language(context),
            // A page answering a form's post switches language on the page the form was on (its address takes no GET).
            Path = HttpMethods.IsGet(context.Request.Method) ? context.Request.PathBase + context.Request.Path
                : Uri.TryCreate(context.Request.Headers.Referer.ToString(), UriKind.Absolute, out var referer) && referer.Host == context.Request.Host.Host ? referer.AbsolutePath : "/",
            Query = HttpMethods.IsGet(context.Request.Method) ? context.Request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))).ToList() : [],
            UserName = signedIn ? user.Identity!.Name : null,
            Roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
            TokenName = tokens.FormFieldName,
            Token = tokens.RequestToken ?? "",
            Messaging = context.RequestServices.GetRequiredService<IOptions<MessagingOptions>>().Value,
            Store = context.RequestServices.GetRequiredService<IOptions<Activities.Service.StoreOptions>>().Value,
        };
    }

    /// <summary>The navigation a person sees: only the places their roles may enter.</summary>
    public IEnumerable<(string Href, string Text)> Navigation()
    {
        if (Is(Security.Roles.Manager, Security.Roles.Advisor))
            yield return ("/desk", T("前台", "Front desk"));
        yield return ("/inbox/", T("待办任务", "Inbox"));
        yield return ("/board", T("车间看板", "Workshop board"));
        if (Is(Security.Roles.Manager, Security.Roles.Advisor, Security.Roles.CallbackAgent))
            yield return ("/messages", T("客户消息", "Messages"));
        if (Is(Security.Roles.Manager))
        {
            yield return ("/dashboard", T("服务看板", "Dashboard"));
            yield return ("/designer/", T("流程设计", "Designer"));
            yield return ("/designer/instances", T("流程实例", "Workflow runs"));
            yield return ("/staff", T("员工账号", "Staff"));
            yield return ("/settings", T("门店设置", "Store settings"));
        }
    }
}

/// <summary>Renders staff pages: Razor components in the one staff layout.</summary>
public static class StaffPages
{
    /// <summary>A page component with its parameters, answered with the status given.</summary>
    public static IResult Page<TComponent>(HttpContext context, object? parameters = null, int status = StatusCodes.Status200OK) where TComponent : IComponent
    {
        context.Response.StatusCode = status;
        return new RazorComponentResult<TComponent>(parameters ?? new { }) { StatusCode = status };
    }

    /// <summary>
    /// A page whose body is already markup (the pages not yet written as components): it is shown in the staff layout
    /// with the navigation, the user, sign-out and the language switch.
    /// </summary>
    public static IResult Markup(HttpContext context, string title, string body, int status = StatusCodes.Status200OK) =>
        Page<MarkupPage>(context, new { Title = title, Body = new MarkupString(body) }, status);
}
