using Followup.Workflows.Abstractions;
using Followup.Workflows.Definitions;
using Followup.Workflows.Persistence;
using Followup.Workflows.Registry;
using Followup.Workflows.Runtime;
using Followup.Workflows.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Followup.Workflows.Management;

public sealed class WorkflowValidationException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
