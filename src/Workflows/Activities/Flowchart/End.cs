using Followup.Workflows.Abstractions;

namespace Followup.Workflows.Activities.Flowchart;

[Activity("Elsa", "Flow", "The end of a flowchart: completes it, cancelling whatever else still runs inside it.")]
public sealed class End : Activity, ITerminalNode;
