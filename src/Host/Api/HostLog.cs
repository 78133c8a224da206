using Followup.Activities.Service;
using Followup.Host.Security;
using Followup.Workflows.Management;
using Followup.Workflows.Persistence;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Followup.Host.Api;

internal static partial class HostLog
{
    [LoggerMessage(LogLevel.Warning, "Demo:Seed is ignored in the {Environment} environment: demo users and data are made only in Development.")]
    public static partial void DemoSeedIgnored(ILogger logger, string environment);

    [LoggerMessage(LogLevel.Warning, "No published workflow {DefinitionId}: the record was saved without one.")]
    public static partial void NoPublishedWorkflow(ILogger logger, string definitionId);
}
