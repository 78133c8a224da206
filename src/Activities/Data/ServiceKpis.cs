using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Data;

/// <summary>A rate with what it is made of, so a reader can check it.</summary>
public sealed record Ratio(int Count, int Of)
{
    public double? Value => Of == 0 ? null : Math.Round((double)Count / Of, 4);
}

/// <summary>The service manager's figures for a period, for the whole store or one advisor.</summary>
public sealed record KpiReport
{
    public required DateTime From { get; init; }
    public required DateTime To { get; init; }
    public string? Advisor { get; init; }
    public int Visits { get; init; }

    /// <summary>Average minutes from arrival to greeting, and the share greeted within the 5-minute SLA.</summary>
    public double? MinutesToGreet { get; init; }
    public required Ratio GreetedWithinSla { get; init; }

    public required Ratio EstimateApproval { get; init; }

    /// <summary>Average minutes from the estimate being sent to the customer's approval.</summary>
    public double? MinutesToApprove { get; init; }

    /// <summary>Additional-work lines approved of those decided.</summary>
    public required Ratio AdditionalWorkApproval { get; init; }

    /// <summary>Cars ready by the time promised, of those with a promise and ready.</summary>
    public required Ratio PromisedTimeKept { get; init; }

    /// <summary>(invoiced − approved estimate) / approved estimate, over settled visits; additional work shows here.</summary>
    public double? EstimateInvoiceVariance { get; init; }
    public decimal EstimatedTotal { get; init; }
    public decimal InvoicedTotal { get; init; }

    /// <summary>Callbacks done by the third day after delivery (the store's calendar), of those done or past that day: one not yet due is not missed.</summary>
    public required Ratio CallbackWithin3Days { get; init; }

    /// <summary>Callback scores 1 to 5: how many of each.</summary>
    public required IReadOnlyList<int> Satisfaction { get; init; }

    public required Ratio Comebacks { get; init; }

    /// <summary>Next-service reminders sent in the period that led to a booking.</summary>
    public required Ratio ReminderBooking { get; init; }

    /// <summary>Follow-ups of declined work (a message or a call) in the period that led to a booking.</summary>
    public required Ratio DeclinedWorkBooked { get; init; }

    /// <summary>Appointments in the period the customer came to, of those that came or did not.</summary>
    public required Ratio AppointmentShow { get; init; }
}

/// <summary>
/// Computes the dashboard's figures from the records: only the columns the figures need are read, and summed in memory
/// per period (SQLite cannot sum decimals).
/// </summary>
public static class ServiceKpis
{
    private static Ratio Booked(List<ReminderRecord> reminders) => new(reminders.Count(r => r.Status == ReminderStatus.Booked), reminders.Count);

    private sealed record VisitTimes(string Id, DateTime CreatedAt, DateTime? GreetedAt, DateTime? PromisedAt, DateTime? ReadyAt, DateTime? DeliveredAt);

    private sealed record EstimateFacts(string Id, string VisitId, string Kind, string Status, DateTime CreatedAt, DateTime? DecidedAt);

    private sealed record CallbackFacts(string VisitId, string Status, int? Score, DateTime? DoneAt);

    public static async Task<KpiReport> ComputeAsync(DealershipDbContext db, DateTime from, DateTime to, string? advisor, DateTime now, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var inPeriod = db.Visits.AsNoTracking().Where(v => v.CreatedAt >= from && v.CreatedAt < to && (advisor == null || v.Advisor == advisor));
        var visits = await inPeriod.Select(v => new VisitTimes(v.Id, v.CreatedAt, v.GreetedAt, v.PromisedAt, v.ReadyAt, v.DeliveredAt)).ToListAsync(cancellationToken);
        // The period's visits as a subquery, not a list of ids: a year of a busy store is more ids than a statement may
        // carry as parameters (SQLite takes 32,766).
        var ids = inPeriod.Select(v => v.Id);
        var periodEstimates = db.Estimates.AsNoTracking().Where(e => ids.Contains(e.VisitId));
        var estimates = await periodEstimates.Select(e => new EstimateFacts(e.Id, e.VisitId, e.Kind, e.Status, e.CreatedAt, e.DecidedAt)).ToListAsync(cancellationToken);
        // Lines carry only what their price is made of; the price itself is the line's own rule.
        var decidedLines = (await db.Set<EstimateLine>().AsNoTracking()
            .Where(l => l.Approved != null && periodEstimates.Select(e => e.Id).Contains(l.EstimateId))
            .Select(l => new EstimateLine { EstimateId = l.EstimateId, LineKey = "", Description = "", Approved = l.Approved, PayType = l.PayType, Labour = l.Labour, Parts = l.Parts })
            .ToListAsync(cancellationToken)).ToLookup(l => l.EstimateId);
        var settledInvoices = db.Invoices.AsNoTracking().Where(i => i.Status == InvoiceStatus.Settled && ids.Contains(i.VisitId));
        var settled = await settledInvoices.Select(i => i.VisitId).ToListAsync(cancellationToken);
        var invoiced = Invoice.TotalOf(await db.Set<InvoiceLine>().AsNoTracking()
            .Where(l => settledInvoices.Select(i => i.Id).Contains(l.InvoiceId))
            .Select(l => new InvoiceLine { InvoiceId = l.InvoiceId, LineKey = "", Description = "", PayType = l.PayType, Labour = l.Labour, Parts = l.Parts, Discount = l.Discount })
            .ToListAsync(cancellationToken));
        var callbacks = await db.Callbacks.AsNoTracking().Where(c => ids.Contains(c.VisitId)).Select(c => new CallbackFacts(c.VisitId, c.Status, c.Score, c.DoneAt)).ToListAsync(cancellationToken);
        var comebacks = await db.Comebacks.AsNoTracking().CountAsync(c => ids.Contains(c.VisitId), cancellationToken);
        var reminders = await db.Reminders.AsNoTracking().Where(r => r.SentAt >= from && r.SentAt < to).ToListAsync(cancellationToken);
        if (advisor != null)
        {
            var advised = (await db.Visits.AsNoTracking().Where(v => v.Advisor == advisor).Select(v => v.Id).ToListAsync(cancellationToken)).ToHashSet();
            reminders = reminders.Where(r => r.VisitId != null && advised.Contains(r.VisitId)).ToList();
        }
        var appointments = await db.Appointments.AsNoTracking()
            .Where(a => a.SlotAt >= from && a.SlotAt < to && (a.Status == AppointmentStatus.Arrived || a.Status == AppointmentStatus.NoShow) && (advisor == null || a.Advisor == advisor))
            .ToListAsync(cancellationToken);

        var greeted = visits.Where(v => v.GreetedAt != null).Select(v => (v.GreetedAt!.Value - v.CreatedAt).TotalMinutes).ToList();
        var mainEstimates = estimates.Where(e => e.Kind == EstimateKind.Estimate).ToList();
        var decided = mainEstimates.Where(e => e.Status != EstimateStatus.Pending).ToList();
        var approved = decided.Where(e => e.Status is EstimateStatus.Approved or EstimateStatus.PartiallyApproved).ToList();
        var additionalLines = estimates.Where(e => e.Kind == EstimateKind.AdditionalWork).SelectMany(e => decidedLines[e.Id]).ToList();
        var promised = visits.Where(v => v.PromisedAt != null && v.ReadyAt != null).ToList();
        var estimatesByVisit = mainEstimates.ToLookup(e => e.VisitId);
        var estimated = settled.Sum(visit => estimatesByVisit[visit].Sum(e => Estimate.ApprovedTotalOf(decidedLines[e.Id])));
        var delivered = visits.Where(v => v.DeliveredAt != null).ToDictionary(v => v.Id);
        // Days in the store's time zone: a callback is counted once it is done or its third day after delivery is over.
        DateTime Day(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).Date;
        var today = Day(now);
        var dueCallbacks = callbacks.Where(c => delivered.ContainsKey(c.VisitId) && (c.Status == CallbackStatus.Done || (today - Day(delivered[c.VisitId].DeliveredAt!.Value)).TotalDays > 3)).ToList();
        var scores = callbacks.Where(c => c.Status == CallbackStatus.Done && c.Score is >= 1 and <= 5).Select(c => c.Score!.Value).ToList();

        return new KpiReport
        {
            From = from,
            To = to,
            Advisor = advisor,
            Visits = visits.Count,
            MinutesToGreet = greeted.Count == 0 ? null : Math.Round(greeted.Average(), 1),
            GreetedWithinSla = new Ratio(greeted.Count(m => m <= 5), greeted.Count),
            EstimateApproval = new Ratio(approved.Count, decided.Count),
            MinutesToApprove = approved.Count == 0 ? null : Math.Round(approved.Average(e => (e.DecidedAt!.Value - e.CreatedAt).TotalMinutes), 1),
            AdditionalWorkApproval = new Ratio(additionalLines.Count(l => l.Approved == true), additionalLines.Count),
            PromisedTimeKept = new Ratio(promised.Count(v => v.ReadyAt <= v.PromisedAt), promised.Count),
            EstimatedTotal = estimated,
            InvoicedTotal = invoiced,
            EstimateInvoiceVariance = estimated == 0 ? null : Math.Round((double)((invoiced - estimated) / estimated), 4),
            CallbackWithin3Days = new Ratio(dueCallbacks.Count(c => c.Status == CallbackStatus.Done && (Day(c.DoneAt!.Value) - Day(delivered[c.VisitId].DeliveredAt!.Value)).TotalDays <= 3), dueCallbacks.Count),
            Satisfaction = [.. Enumerable.Range(1, 5).Select(s => scores.Count(x => x == s))],
            Comebacks = new Ratio(comebacks, visits.Count),
            ReminderBooking = Booked(reminders.Where(r => r.Kind == ReminderKind.Service).ToList()),
            DeclinedWorkBooked = Booked(reminders.Where(r => r.Kind == ReminderKind.DeclinedWork).ToList()),
            AppointmentShow = new Ratio(appointments.Count(a => a.Status == AppointmentStatus.Arrived), appointments.Count),
        };
    }
}
