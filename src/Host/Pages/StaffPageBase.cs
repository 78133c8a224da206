using Microsoft.AspNetCore.Components;

namespace Followup.Host.Pages;

/// <summary>A staff page: it reads its <see cref="StaffView"/> from the request it answers.</summary>
public abstract class StaffPageBase : ComponentBase
{
    [CascadingParameter] public HttpContext? Context { get; set; }

    private StaffView? view;

    protected StaffView View => view ??= StaffView.From(Context ?? throw new InvalidOperationException("A staff page is rendered for a request."));

    protected string T(string zh, string en) => View.T(zh, en);
}
