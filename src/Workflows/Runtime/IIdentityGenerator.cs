namespace Followup.Workflows.Runtime;

/// <summary>Ids for instances, contexts and bookmarks. Engine code never calls Guid.NewGuid itself.</summary>
public interface IIdentityGenerator
{
    string NewId();
}
