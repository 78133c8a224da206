using Followup.Host.Security;

namespace Followup.Host.Inbox;

public static class AttachmentEndpoints
{
    public static WebApplication MapAttachmentEndpoints(this WebApplication app)
    {
        app.MapGet("/attachments/{id}", (string id, Attachments attachments) =>
            attachments.PathOf(id) is { } path ? Results.File(path, id.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg") : Results.NotFound())
            .RequireStaff();
        app.MapPost("/api/attachments", async (HttpRequest request, Attachments attachments, CancellationToken ct) =>
        {
            if (!request.HasFormContentType || (await request.ReadFormAsync(ct)).Files.FirstOrDefault() is not { } file)
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Send the photo as multipart/form-data."] });
            var (value, error) = await attachments.SaveAsync(file, ct);
            return value is null ? Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [error!] }) : Results.Ok(new { value });
        }).RequireStaff().WithTags("Tasks")
            .WithSummary("Upload a photo for a task's photo field; the answer's value goes into that field.");
        return app;
    }
}
