using Followup.Activities.Service;
using Followup.Activities.Tasks;
using Followup.Workflows.Abstractions;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Approvals;

[Activity("Followup", "Approvals", "Ask the customer to authorise additional work found during the service; an advisor calls when the link is not answered.", DisplayName = "Additional work authorization")]
[FlowNode("Approved", "PartiallyApproved", "Declined", "TimedOut")]
public sealed class AdditionalWorkAuthorization(ICustomerLinks links, ApprovalStore approvals, TaskInbox inbox, IOptions<StoreOptions> store) : CustomerApproval(links, approvals, inbox, store)
{
    protected override string Kind => "AdditionalWork";
    protected override (string Zh, string En) Request => ("{{ Name }}您好，技师在检修中发现需要追加的项目，请查看并确认：", "Hello {{ Name }}, our technician found additional work. Please review and authorise it:");
    protected override (string Zh, string En) Reminder => ("{{ Name }}您好，提醒您确认追加项目：", "Hello {{ Name }}, a reminder to review the additional work:");
    protected override (string Zh, string En) Subject => ("追加项目", "the additional work");
}
