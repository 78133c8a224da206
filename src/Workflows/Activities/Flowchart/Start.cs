using Followup.Workflows.Abstractions;

namespace Followup.Workflows.Activities.Flowchart;

[Activity("Elsa", "Flow", "The start of a flowchart.")]
public sealed class Start : Activity, IStartNode;
