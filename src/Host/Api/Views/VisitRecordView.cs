namespace Followup.Host.Api.Views;

/// <summary>A visit's whole record: check-in, concerns, estimates, the customer's approvals, invoice, callbacks, reminders, comeback link.</summary>
public sealed record VisitRecordView(VisitView Visit, CheckInView? CheckIn, IReadOnlyList<ConcernView> Concerns, IReadOnlyList<EstimateView> Estimates,
    InvoiceView? Invoice, IReadOnlyList<CallbackView> Callbacks, IReadOnlyList<ReminderView> Reminders, ComebackView? Comeback, IReadOnlyList<ApprovalView> Approvals);
