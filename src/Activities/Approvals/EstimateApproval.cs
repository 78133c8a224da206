using System.Text.Json;
using System.Text.Json.Nodes;
using Followup.Activities.Messaging;
using Followup.Workflows.Abstractions;
using Followup.Workflows.Runtime;

namespace Followup.Activities.Approvals;

[Activity("Followup", "Approvals", "Send the estimate to the customer and wait for their approval.", DisplayName = "Estimate approval")]
[FlowNode("Approved", "PartiallyApproved", "Declined", "TimedOut")]
public sealed class EstimateApproval(ICustomerLinks links, ApprovalStore approvals) : CustomerApproval(links, approvals)
{
    protected override string Kind => "Estimate";
    protected override (string Zh, string En) Request => ("{0}您好，您的维修估价单已就绪，请查看并确认：{1}", "Hello {0}, your service estimate is ready. Please review and approve it: {1}");
    protected override (string Zh, string En) Reminder => ("{0}您好，提醒您确认维修估价单：{1}", "Hello {0}, a reminder to review your estimate: {1}");
}
