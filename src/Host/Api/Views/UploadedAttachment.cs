namespace Followup.Host.Api.Views;

/// <summary>An uploaded photo: <c>value</c> goes into the task's photo field.</summary>
public sealed record UploadedAttachment(string Value);
