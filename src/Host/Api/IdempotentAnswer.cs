using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Followup.Host.Api;

/// <summary>
/// What a request with an <c>Idempotency-Key</c> gets instead of running again: the stored answer of the first request
/// (marked <c>Idempotent-Replayed</c>), or a problem when the key is malformed (400) or was used with another body (422).
/// </summary>
public sealed class IdempotentAnswer(IResult answer) : IResult, IEndpointMetadataProvider
{
    public Task ExecuteAsync(HttpContext httpContext) => answer.ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), ["application/problem+json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status422UnprocessableEntity, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
    }
}
