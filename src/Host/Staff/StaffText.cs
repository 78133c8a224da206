namespace Followup.Host.Staff;

/// <summary>The staff pages' words in Chinese and English; the language comes from <c>?lang=</c>, a cookie, or the browser.</summary>
public static class StaffText
{
    public const string Cookie = "followup.lang";

    private static readonly Dictionary<string, (string Zh, string En)> Words = new()
    {
        ["title.login"] = ("员工登录", "Staff sign-in"),
        ["user"] = ("用户名", "User name"),
        ["password"] = ("密码", "Password"),
        ["signin"] = ("登录", "Sign in"),
        ["signout"] = ("退出", "Sign out"),
        ["bad.login"] = ("登录失败：请检查用户名和密码。多次失败后请等待 15 分钟再试。", "Sign-in failed: check the user name and password. After several failures, wait 15 minutes and try again."),
        ["denied"] = ("您没有访问此页面的权限。", "You do not have access to this page."),
        ["designer"] = ("流程设计", "Workflow designer"),
        ["workflows"] = ("流程列表", "Workflows"),
        ["instances"] = ("流程实例", "Workflow runs"),
        ["missing"] = ("设计器文件尚未安装：请在 src/Host/designer 中运行 npm ci。", "The designer files are not installed: run npm ci in src/Host/designer."),
        ["other.lang"] = ("English", "中文"),
    };

    public static string Language(HttpContext context)
    {
        var lang = context.Request.Query["lang"].ToString();
        if (lang.Length > 0)
        {
            lang = lang.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh-CN" : "en";
            context.Response.Cookies.Append(Cookie, lang, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, MaxAge = TimeSpan.FromDays(365) });
            return lang;
        }
        if (context.Request.Cookies[Cookie] is { } cookie)
            return cookie == "en" ? "en" : "zh-CN";
        var accept = context.Request.Headers.AcceptLanguage.ToString();
        return accept.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en" : "zh-CN";
    }

    /// <summary>A role as staff call it.</summary>
    public static string RoleName(string language, string role) => (role, language == "en") switch
    {
        (Security.Roles.Manager, false) => "服务经理",
        (Security.Roles.Advisor, false) => "服务顾问",
        (Security.Roles.Technician, false) => "维修技师",
        (Security.Roles.TechnicalLead, false) => "技术主管",
        (Security.Roles.CallbackAgent, false) => "回访专员",
        (Security.Roles.Manager, true) => "Service manager",
        (Security.Roles.Advisor, true) => "Service advisor",
        (Security.Roles.Technician, true) => "Technician",
        (Security.Roles.TechnicalLead, true) => "Technical lead",
        (Security.Roles.CallbackAgent, true) => "Callback agent",
        _ => role,
    };

    public static string Get(string language, string key) => language == "en" ? Words[key].En : Words[key].Zh;
}
