using System.Text.RegularExpressions;

namespace Followup.Activities.Messaging;

/// <summary>
/// One kind of text the store sends, as registered with a mainland provider: the Chinese template with its named
/// parameters (<c>${name}</c>; Tencent numbers them {1}, {2}… in <see cref="Parameters"/> order). Mainland carriers take
/// application SMS only from an approved template, so a provider that sends templates sends exactly this text with the
/// values filled in, signed by the registered signature.
/// </summary>
public sealed record SmsTemplate(string Kind, string Text, bool Marketing = false, bool NeedsAnswer = false)
{
    public IReadOnlyList<string> Parameters { get; } = SmsTemplates.Names(Text);

    /// <summary>The text with the values filled in; a value that is missing is left empty.</summary>
    public string Render(IReadOnlyDictionary<string, string>? values) =>
        SmsTemplates.ParameterRegex().Replace(Text, m => values?.GetValueOrDefault(m.Groups[1].Value) ?? "");

    /// <summary>The text as Tencent's console takes it: {1}, {2}… in parameter order.</summary>
    public string Numbered
    {
        get
        {
            var names = Parameters;
            return SmsTemplates.ParameterRegex().Replace(Text, m => $"{{{names.ToList().IndexOf(m.Groups[1].Value) + 1}}}");
        }
    }
}

/// <summary>Every kind of text the shipped process sends by SMS, by key (the key names the template in configuration).</summary>
public static partial class SmsTemplates
{
    public const string AppointmentBooked = "appointment-booked";
    public const string AppointmentReminder = "appointment-reminder";
    public const string AppointmentCancelled = "appointment-cancelled";
    public const string AppointmentCancelledNoPhone = "appointment-cancelled-no-phone";
    public const string PromisedTime = "promised-time";
    public const string PromisedTimeWaiting = "promised-time-waiting";
    public const string PromisedTimeChanged = "promised-time-changed";
    public const string VehicleReady = "vehicle-ready";
    public const string VisitThanks = "visit-thanks";
    public const string DeclinedWorkNoted = "declined-work-noted";
    public const string ComebackApology = "comeback-apology";
    public const string EstimateApproval = "estimate-approval";
    public const string EstimateReminder = "estimate-reminder";
    public const string AdditionalWorkApproval = "additional-work-approval";
    public const string AdditionalWorkReminder = "additional-work-reminder";
    public const string ExtraChargesApproval = "extra-charges-approval";
    public const string ExtraChargesReminder = "extra-charges-reminder";
    public const string SatisfactionSurvey = "satisfaction-survey";
    public const string ServiceReminder = "service-reminder";
    public const string ServiceOverdue = "service-overdue";
    public const string DeclinedWorkReminder = "declined-work-reminder";

    public static IReadOnlyList<SmsTemplate> All { get; } =
    [
        new(AppointmentBooked, "${name}您好，您已预约${time}到${place}（${plate}，${service}）。到店请告知预约，我们将优先接待；如需取消请回复“取消”。"),
        new(AppointmentReminder, "${name}您好，提醒您已预约${time}到${place}（${plate}，${service}）。如需取消请回复“取消”。"),
        new(AppointmentCancelled, "${name}您好，您${time}的到店预约已取消。如需重新预约请致电${phone}。"),
        new(AppointmentCancelledNoPhone, "${name}您好，您${time}的到店预约已取消。"),
        new(PromisedTime, "${name}您好，您的爱车${plate}预计${time}完工。完工后我们会短信通知您。"),
        new(PromisedTimeWaiting, "${name}您好，您的爱车${plate}预计${time}完工。休息区为您准备了免费茶水和无线网络。"),
        new(PromisedTimeChanged, "${name}您好，您的爱车${plate}的预计完工时间调整为${time}，给您带来不便，敬请谅解。"),
        new(VehicleReady, "${name}您好，您的爱车${plate}已完工并通过质检，应付金额${amount}。营业时间${hours}，欢迎取车。"),
        new(VisitThanks, "${name}您好，感谢您的光临。我们将在3天内回访了解您的用车情况。下次保养可直接回复本短信或致电预约。"),
        new(DeclinedWorkNoted, "${name}您好，您暂不需要的追加项目已记录，我们会在下次保养时再与您确认。"),
        new(ComebackApology, "${name}您好，很抱歉您的爱车因同一问题再次到店，我们已安排技术主管专门处理。"),
        new(EstimateApproval, "${name}您好，您的维修估价单已就绪，请查看并确认：${link}", NeedsAnswer: true),
        new(EstimateReminder, "${name}您好，提醒您确认维修估价单：${link}", NeedsAnswer: true),
        new(AdditionalWorkApproval, "${name}您好，技师在检修中发现需要追加的项目，请查看并确认：${link}", NeedsAnswer: true),
        new(AdditionalWorkReminder, "${name}您好，提醒您确认追加项目：${link}", NeedsAnswer: true),
        new(ExtraChargesApproval, "${name}您好，本次费用超出已确认估价${total}，经您确认才收取：${link}", NeedsAnswer: true),
        new(ExtraChargesReminder, "${name}您好，提醒您确认超出估价的${total}费用：${link}", NeedsAnswer: true),
        new(SatisfactionSurvey, "${name}您好，感谢您近日到店保养（${plate}）。请回复1-5为本次服务打分（5为非常满意），如有未解决的问题也请直接回复告诉我们。回复TD退订", Marketing: true, NeedsAnswer: true),
        new(ServiceReminder, "${name}您好，您的爱车${plate}预计将于${date}需要保养，欢迎预约：${link} 回复TD退订", Marketing: true),
        new(ServiceOverdue, "${name}您好，您的爱车${plate}已过保养时间（${date}）。按时保养更安全，欢迎预约：${link} 回复TD退订", Marketing: true),
        new(DeclinedWorkReminder, "${name}您好，上次为您的爱车${plate}检查时建议的${work}尚未处理，欢迎预约：${link} 回复TD退订", Marketing: true),
    ];

    private static readonly Dictionary<string, SmsTemplate> ByKind = All.ToDictionary(t => t.Kind, StringComparer.Ordinal);

    public static SmsTemplate? Find(string? kind) => kind is null ? null : ByKind.GetValueOrDefault(kind);

    public static IEnumerable<string> Kinds => ByKind.Keys;

    internal static IReadOnlyList<string> Names(string text) => [.. ParameterRegex().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];

    [GeneratedRegex(@"\$\{([a-z]+)\}")]
    internal static partial Regex ParameterRegex();
}
