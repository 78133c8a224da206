using Followup.Activities.Tasks;
using Followup.Host.Security;
using Microsoft.AspNetCore.Identity;

namespace Followup.Host.Inbox;

/// <summary>Photos attached to tasks (damage at check-in, a worn part): JPEG or PNG up to 10 MB, kept in a folder, shown to staff only.</summary>
public sealed class Attachments(IConfiguration configuration)
{
    public const long MaxBytes = 10 * 1024 * 1024;
    private readonly string _folder = Path.GetFullPath(configuration["Storage:AttachmentsPath"] ?? "attachments");

    /// <summary>Stores an upload; returns the field value (<c>attachment:{id}</c>) or the reason it was refused.</summary>
    public async Task<(string? Value, string? Error)> SaveAsync(IFormFile file, CancellationToken cancellationToken)
    {
        if (file.Length is 0 or > MaxBytes)
            return (null, "The photo must be between 1 byte and 10 MB.");
        var header = new byte[8];
        await using (var peek = file.OpenReadStream())
            _ = await peek.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        var extension = header[0] == 0xFF && header[1] == 0xD8 ? ".jpg" : header[0] == 0x89 && header[1] == (byte)'P' && header[2] == (byte)'N' && header[3] == (byte)'G' ? ".png" : null;
        if (extension is null)
            return (null, "Only JPEG and PNG photos are accepted.");
        Directory.CreateDirectory(_folder);
        var id = Guid.CreateVersion7().ToString("N") + extension;
        await using (var target = File.Create(Path.Combine(_folder, id)))
        await using (var source = file.OpenReadStream())
            await source.CopyToAsync(target, cancellationToken);
        return (TaskForm.AttachmentPrefix + id, null);
    }

    public string? PathOf(string id) =>
        id.Length is > 4 and < 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '.') && File.Exists(Path.Combine(_folder, id)) ? Path.Combine(_folder, id) : null;
}

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
