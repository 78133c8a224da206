using System.Text.Json;
using System.Text.Json.Nodes;
using Followup.Activities.Messaging;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Approvals;

[Activity("Followup", "Approvals", "Ask the customer to authorise additional work found during the service.", DisplayName = "Additional work authorization")]
[FlowNode("Approved", "PartiallyApproved", "Declined", "TimedOut")]
public sealed class AdditionalWorkAuthorization(ICustomerLinks links, ApprovalStore approvals) : CustomerApproval(links, approvals)
{
    protected override string Kind => "AdditionalWork";
    protected override (string Zh, string En) Request => ("{0}您好，技师在检修中发现需要追加的项目，请查看并确认：{1}", "Hello {0}, our technician found additional work. Please review and authorise it: {1}");
    protected override (string Zh, string En) Reminder => ("{0}您好，提醒您确认追加项目：{1}", "Hello {0}, a reminder to review the additional work: {1}");
}
