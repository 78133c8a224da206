using Microsoft.AspNetCore.Antiforgery;

namespace Followup.Host.Security;

/// <summary>Staff form posts must carry the antiforgery token of the page they came from; otherwise 400 and nothing happens.</summary>
public static class AntiforgeryFilter
{
    public static TBuilder RequireAntiforgeryToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType
                && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form has expired or did not come from this site. Reload the page and try again.");
            }
            return await next(context);
        });
}
