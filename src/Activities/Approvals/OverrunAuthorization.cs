using Followup.Activities.Service;
using Followup.Activities.Tasks;
using Followup.Workflows.Abstractions;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Approvals;

/// <summary>The bill came out higher than what the customer approved: by how much and for what, before anyone asks them to pay it.</summary>
[Activity("Followup", "Approvals", "Ask the customer to authorise charges beyond the approved estimate, saying by how much and why; an advisor calls when the link is not answered.", DisplayName = "Overrun authorization")]
[FlowNode("Approved", "PartiallyApproved", "Declined", "TimedOut")]
public sealed class OverrunAuthorization(ICustomerLinks links, ApprovalStore approvals, TaskInbox inbox, IOptions<StoreOptions> store) : CustomerApproval(links, approvals, inbox, store)
{
    protected override string Kind => "Overrun";
    protected override (string Zh, string En) Request => ("{{ Name }}您好，您本次的费用比已确认的估价高出{{ Total }}：{{ Items }}。未经您确认不会收取，请查看并确认：", "Hello {{ Name }}, your bill is {{ Total }} more than the estimate you approved: {{ Items }}. Nothing beyond it is charged unless you agree. Please review it:");
    protected override (string Zh, string En) Reminder => ("{{ Name }}您好，提醒您确认超出估价的{{ Total }}费用：", "Hello {{ Name }}, a reminder to review the {{ Total }} beyond your approved estimate:");
    protected override (string Zh, string En) Subject => ("超出估价的费用", "the charges beyond the estimate");
}
