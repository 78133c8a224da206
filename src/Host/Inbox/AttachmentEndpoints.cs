using Followup.Host.Api.Views;
using Followup.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Followup.Host.Inbox;

public static class AttachmentEndpoints
{
    public static WebApplication MapAttachmentEndpoints(this WebApplication app)
    {
        app.MapGet("/attachments/{id}", (string id, Attachments attachments) =>
            attachments.PathOf(id) is { } path ? Results.File(path, id.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg") : Results.NotFound())
            .RequireStaff();
        app.MapPost("/api/attachments", async Task<Results<Ok<UploadedAttachment>, ValidationProblem>> (HttpRequest request, Attachments attachments, CancellationToken ct) =>
        {
            if (!request.HasFormContentType || (await request.ReadFormAsync(ct)).Files.FirstOrDefault() is not { } file)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Send the photo as multipart/form-data."] });
            var (value, error) = await attachments.SaveAsync(file, ct);
            if (value is null)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [error!] });
            return TypedResults.Ok(new UploadedAttachment(value));
        }).RequireStaff().WithTags("Tasks")
            .WithSummary("Upload a photo for a task's photo field; the answer's value goes into that field.");
        return app;
    }
}
