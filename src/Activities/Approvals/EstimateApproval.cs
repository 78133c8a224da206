using Followup.Activities.Service;
using Followup.Activities.Tasks;
using Followup.Workflows.Abstractions;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Approvals;

[Activity("Followup", "Approvals", "Send the estimate to the customer and wait for their approval; an advisor calls when the link is not answered.", DisplayName = "Estimate approval")]
[FlowNode("Approved", "PartiallyApproved", "Declined", "TimedOut")]
public sealed class EstimateApproval(ICustomerLinks links, ApprovalStore approvals, TaskInbox inbox, IOptions<StoreOptions> store) : CustomerApproval(links, approvals, inbox, store)
{
    protected override string Kind => "Estimate";
    protected override (string Zh, string En) Request => ("{{ Name }}您好，您的维修估价单已就绪，请查看并确认：", "Hello {{ Name }}, your service estimate is ready. Please review and approve it:");
    protected override (string Zh, string En) Reminder => ("{{ Name }}您好，提醒您确认维修估价单：", "Hello {{ Name }}, a reminder to review your estimate:");
    protected override (string Zh, string En) Subject => ("维修估价单", "the estimate");
}
