using Followup.Activities.Data;

namespace Followup.Host.Pages;

/// <summary>Stored values as staff read them: no status, channel or kind reaches a page as its identifier.</summary>
public static class Words
{
    private static readonly Dictionary<string, (string Zh, string En)> Statuses = new(StringComparer.Ordinal)
    {
        [AppointmentStatus.Booked] = ("已预约", "Booked"),
        [AppointmentStatus.Arrived] = ("已到店", "Arrived"),
        [AppointmentStatus.NoShow] = ("未到店", "No-show"),
        [AppointmentStatus.Cancelled] = ("已取消", "Cancelled"),
        [VisitStatus.Reception] = ("接待中", "At reception"),
        [VisitStatus.InWorkshop] = ("车间施工", "In the workshop"),
        [VisitStatus.QualityCheck] = ("质检", "Quality check"),
        [VisitStatus.Ready] = ("待交车", "Ready"),
        [VisitStatus.Delivered] = ("已交车", "Delivered"),
        ["staff"] = ("前台", "Front desk"),
        ["self-service"] = ("客户自助", "Self-service"),
        ["dms"] = ("DMS", "DMS"),
        ["sms"] = ("短信", "SMS"),
        ["email"] = ("邮件", "Email"),
        ["Pending"] = ("待答复", "Waiting for an answer"),
        ["Estimate"] = ("估价确认", "Estimate"),
        ["AdditionalWork"] = ("追加项目确认", "Additional work"),
        ["Overrun"] = ("超出估价确认", "Charges beyond the estimate"),
        ["Answered"] = ("已答复", "Answered"),
        ["Draft"] = ("草稿", "Draft"),
        ["Reconciled"] = ("已核对", "Checked against the estimate"),
        ["Settled"] = ("已结算", "Settled"),
        ["Done"] = ("已完成", "Done"),
        ["Unreachable"] = ("未联系上", "Could not reach"),
        ["zh-CN"] = ("中文", "Chinese"),
        ["en"] = ("英文", "English"),
        ["TimedOut"] = ("未答复", "No answer"),
        ["link"] = ("短信链接", "the SMS link"),
        ["in-person"] = ("到店当面", "in person"),
        ["phone"] = ("电话", "by phone"),
        ["Approved"] = ("全部同意", "approved all"),
        ["PartiallyApproved"] = ("部分同意", "approved some"),
        ["Declined"] = ("全部拒绝", "declined all"),
    };

    private static readonly Dictionary<string, (string Zh, string En)> MessageStatuses = new(StringComparer.Ordinal)
    {
        ["Pending"] = ("待发送", "Waiting to go"),
        ["Held"] = ("暂缓（免打扰时段）", "Held (quiet hours)"),
        ["Sending"] = ("发送中", "Sending"),
        ["Sent"] = ("已发送", "Sent"),
        ["Delivered"] = ("已送达", "Delivered"),
        ["Failed"] = ("失败", "Failed"),
        ["Blocked"] = ("未发送（客户已退订）", "Not sent (opted out)"),
    };

    /// <summary>A message's state in the reader's language.</summary>
    public static string Message(string lang, string? status) =>
        status is not null && MessageStatuses.TryGetValue(status, out var w) ? (lang == "en" ? w.En : w.Zh) : Of(lang, status);

    /// <summary>A stored status, channel or kind in the reader's language; an unknown one as it is.</summary>
    public static string Of(string lang, string? value) =>
        value is null ? "" : Statuses.TryGetValue(value, out var w) ? (lang == "en" ? w.En : w.Zh) : value;
}
