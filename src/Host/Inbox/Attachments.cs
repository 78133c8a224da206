using Followup.Activities.Tasks;
using Microsoft.AspNetCore.Identity;

namespace Followup.Host.Inbox;

/// <summary>Photos attached to tasks (damage at check-in, a worn part): JPEG or PNG up to 10 MB, kept in a folder, shown to staff only.</summary>
public sealed class Attachments(IConfiguration configuration)
{
    public const long MaxBytes = 10 * 1024 * 1024;
    private readonly string _folder = Path.GetFullPath(configuration["Storage:AttachmentsPath"] ?? "attachments");

    /// <summary>The most pixels a photo may have: a larger one is refused before it is decoded.</summary>
    public const long MaxPixels = 60_000_000;

    /// <summary>
    /// Stores an upload after decoding it as an image: a file that only starts like a JPEG or PNG (a web page, a
    /// script) is refused. Returns the field value (<c>attachment:{id}</c>) or the reason it was refused.
    /// </summary>
    public async Task<(string? Value, string? Error)> SaveAsync(IFormFile file, CancellationToken cancellationToken)
    {
        if (file.Length is 0 or > MaxBytes)
            return (null, "The photo must be between 1 byte and 10 MB.");
        using var buffer = new MemoryStream();
        await using (var source = file.OpenReadStream())
            await source.CopyToAsync(buffer, cancellationToken);
        var extension = Decode(buffer.ToArray());
        if (extension is null)
            return (null, "Only JPEG and PNG photos are accepted.");
        Directory.CreateDirectory(_folder);
        var id = Guid.CreateVersion7().ToString("N") + extension;
        await File.WriteAllBytesAsync(Path.Combine(_folder, id), buffer.ToArray(), cancellationToken);
        return (TaskForm.AttachmentPrefix + id, null);
    }

    /// <summary>".jpg" or ".png" when the bytes decode as a whole JPEG or PNG image of a sensible size; null otherwise.</summary>
    public static string? Decode(byte[] bytes)
    {
        using var data = SkiaSharp.SKData.CreateCopy(bytes);
        using var codec = SkiaSharp.SKCodec.Create(data);
        if (codec is null)
            return null;
        var extension = codec.EncodedFormat switch
        {
            SkiaSharp.SKEncodedImageFormat.Jpeg => ".jpg",
            SkiaSharp.SKEncodedImageFormat.Png => ".png",
            _ => null,
        };
        var info = codec.Info;
        if (extension is null || info.Width <= 0 || info.Height <= 0 || (long)info.Width * info.Height > MaxPixels)
            return null;
        using var bitmap = SkiaSharp.SKBitmap.Decode(codec);
        return bitmap is null ? null : extension;
    }

    /// <summary>Removes photos stored for a form that was then refused (a required field missing), so nothing is left behind.</summary>
    public void Discard(IEnumerable<string?> values)
    {
        foreach (var value in values)
        {
            if (value is { } v && v.StartsWith(TaskForm.AttachmentPrefix, StringComparison.Ordinal) && PathOf(v[TaskForm.AttachmentPrefix.Length..]) is { } path)
                File.Delete(path);
        }
    }

    public string? PathOf(string id) =>
        id.Length is > 4 and < 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '.') && File.Exists(Path.Combine(_folder, id)) ? Path.Combine(_folder, id) : null;
}
