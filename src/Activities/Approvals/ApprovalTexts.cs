using System.Globalization;

namespace Followup.Activities.Approvals;

/// <summary>The text that sends an approval's link again when an advisor asks for it (the customer lost it, or it went to an old phone).</summary>
public static class ApprovalTexts
{
    public static string Resend(string kind, string language, string name, string link) => string.Format(CultureInfo.InvariantCulture,
        (kind, language == "en") switch
        {
            ("AdditionalWork", true) => "Hello {0}, here is the link to review the additional work found on your car again: {1}",
            ("AdditionalWork", false) => "{0}您好，这是您车辆追加项目的确认链接：{1}",
            ("Overrun", true) => "Hello {0}, here is the link to review the charges beyond your estimate again: {1}",
            ("Overrun", false) => "{0}您好，这是超出估价费用的确认链接：{1}",
            (_, true) => "Hello {0}, here is the link to review your service estimate again: {1}",
            (_, false) => "{0}您好，这是您的维修估价单确认链接：{1}",
        }, name, link);
}

/// <summary>The SMS kinds (<see cref="Messaging.SmsTemplates"/>) of each approval's request and reminder.</summary>
public static class ApprovalSms
{
    public static string RequestKind(string kind) => kind switch
    {
        "AdditionalWork" => Messaging.SmsTemplates.AdditionalWorkApproval,
        "Overrun" => Messaging.SmsTemplates.ExtraChargesApproval,
        _ => Messaging.SmsTemplates.EstimateApproval,
    };

    public static string ReminderKind(string kind) => kind switch
    {
        "AdditionalWork" => Messaging.SmsTemplates.AdditionalWorkReminder,
        "Overrun" => Messaging.SmsTemplates.ExtraChargesReminder,
        _ => Messaging.SmsTemplates.EstimateReminder,
    };

    /// <summary>What the customer is asked to approve, in money: each line's price beyond what was approved before.</summary>
    public static decimal Total(IEnumerable<ApprovalLine> lines) => lines.Sum(l => l.Price - (l.ApprovedBefore ?? 0));

    public static Dictionary<string, string> Values(string name, string total, string link) => new(StringComparer.Ordinal) { ["name"] = name, ["total"] = total, ["link"] = link };
}
