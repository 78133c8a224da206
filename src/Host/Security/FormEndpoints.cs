using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;

namespace Followup.Host.Security;

public static class FormEndpoints
{
    /// <summary>An endpoint that reads a form: any other body is answered 415 with a problem, not an error.</summary>
    public static TBuilder RequireForm<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) => context.HttpContext.Request.HasFormContentType
            ? await next(context)
            : Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "This address takes a form.",
                detail: "Send the form as application/x-www-form-urlencoded or multipart/form-data."));
}
