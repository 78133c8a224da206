namespace Followup.Workflows.Persistence;

/// <summary>The key of a bookmark a stimulus resumes.</summary>
public sealed record BookmarkTarget(string InstanceId, string BookmarkId);
