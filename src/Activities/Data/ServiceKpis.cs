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
/// Computes the dashboard's figures where the records are: counts, averages and sums in SQL, so a year of a busy store
/// is not read row by row. Only callbacks are read one by one, for their days on the store's calendar.
/// </summary>
public static class ServiceKpis
{
    private const double SlaMilliseconds = 5 * 60_000;

    private sealed record Booking(string Kind, int Of, int Booked);

    public static async Task<KpiReport> ComputeAsync(DealershipDbContext db, DateTime from, DateTime to, string? advisor, DateTime now, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var inPeriod = db.Visits.AsNoTracking().Where(v => v.CreatedAt >= from && v.CreatedAt < to && (advisor == null || v.Advisor == advisor));
        // The period's visits as a subquery, not a list of ids: a year of a busy store is more ids than a statement may
        // carry as parameters (SQLite takes 32,766).
        var ids = inPeriod.Select(v => v.Id);
        var visits = await inPeriod.GroupBy(_ => 1).Select(g => new
        {
            Count = g.Count(),
            Greeted = g.Count(v => v.GreetedAt != null),
            GreetedWithinSla = g.Count(v => StoreSql.MillisecondsBetween(v.CreatedAt, v.GreetedAt) <= SlaMilliseconds),
            ToGreet = g.Average(v => StoreSql.MillisecondsBetween(v.CreatedAt, v.GreetedAt)),
            Promised = g.Count(v => v.PromisedAt != null && v.ReadyAt != null),
            Kept = g.Count(v => v.PromisedAt != null && v.ReadyAt != null && v.ReadyAt <= v.PromisedAt),
        }).SingleOrDefaultAsync(cancellationToken);
        var periodEstimates = db.Estimates.AsNoTracking().Where(e => ids.Contains(e.VisitId));
        var estimates = await periodEstimates.Where(e => e.Kind == EstimateKind.Estimate).GroupBy(_ => 1).Select(g => new
        {
            Decided = g.Count(e => e.Status != EstimateStatus.Pending),
            Approved = g.Count(e => e.Status == EstimateStatus.Approved || e.Status == EstimateStatus.PartiallyApproved),
            ToApprove = g.Average(e => e.Status == EstimateStatus.Approved || e.Status == EstimateStatus.PartiallyApproved ? StoreSql.MillisecondsBetween(e.CreatedAt, e.DecidedAt) : null),
        }).SingleOrDefaultAsync(cancellationToken);
        var additional = await db.EstimateLines.AsNoTracking()
            .Where(l => l.Approved != null && periodEstimates.Where(e => e.Kind == EstimateKind.AdditionalWork).Select(e => e.Id).Contains(l.EstimateId))
            .GroupBy(_ => 1).Select(g => new { Decided = g.Count(), Approved = g.Count(l => l.Approved == true) })
            .SingleOrDefaultAsync(cancellationToken);
        // Money: each settled bill keeps what it came to and what had been approved; a bill settled before it kept them
        // is worked out from its lines by their own price rules, in the database.
        var settledInvoices = db.Invoices.AsNoTracking().Where(i => i.Status == InvoiceStatus.Settled && ids.Contains(i.VisitId));
        var bills = await settledInvoices.GroupBy(_ => 1).Select(g => new
        {
            Earlier = g.Count(i => i.SettledTotal == null),
            Estimated = g.Sum(i => i.EstimatedTotal),
            Invoiced = g.Sum(i => i.SettledTotal),
        }).SingleOrDefaultAsync(cancellationToken);
        var estimated = bills?.Estimated ?? 0;
        var invoiced = bills?.Invoiced ?? 0;
        if (bills?.Earlier > 0)
        {
            var earlier = settledInvoices.Where(i => i.SettledTotal == null);
            estimated += await Estimate.ApprovedLinesOf(db, periodEstimates.Where(e => earlier.Select(i => i.VisitId).Contains(e.VisitId))).Select(EstimateLine.PriceRule).SumAsync(cancellationToken);
            invoiced += await db.InvoiceLines.AsNoTracking().Where(l => earlier.Select(i => i.Id).Contains(l.InvoiceId)).Select(InvoiceLine.PriceRule).SumAsync(cancellationToken);
        }
        var periodCallbacks = from c in db.Callbacks.AsNoTracking() join v in inPeriod on c.VisitId equals v.Id select new { c, v.DeliveredAt };
        var scores = await periodCallbacks.Where(x => x.c.Status == CallbackStatus.Done && x.c.Score >= 1 && x.c.Score <= 5)
            .GroupBy(x => x.c.Score!.Value).Select(g => new { Score = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Score, g => g.Count, cancellationToken);
        // Days in the store's time zone: a callback is counted once it is done or its third day after delivery is over.
        // Those days are counted here, one delivered callback at a time as it is read, none of them kept.
        DateTime Day(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).Date;
        var today = Day(now);
        var (callbacksDue, callbacksInTime) = (0, 0);
        await foreach (var c in periodCallbacks.Where(x => x.DeliveredAt != null)
                           .Select(x => new { DeliveredAt = x.DeliveredAt!.Value, Done = x.c.Status == CallbackStatus.Done, x.c.DoneAt })
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var delivered = Day(c.DeliveredAt);
            if (!c.Done && (today - delivered).TotalDays <= 3)
                continue;
            callbacksDue++;
            if (c.Done && (Day(c.DoneAt!.Value) - delivered).TotalDays <= 3)
                callbacksInTime++;
        }
        var comebacks = await db.Comebacks.AsNoTracking().CountAsync(c => ids.Contains(c.VisitId), cancellationToken);
        var reminders = await db.Reminders.AsNoTracking()
            .Where(r => r.SentAt >= from && r.SentAt < to && (advisor == null || db.Visits.Any(v => v.Id == r.VisitId && v.Advisor == advisor)))
            .GroupBy(r => r.Kind).Select(g => new Booking(g.Key, g.Count(), g.Count(r => r.Status == ReminderStatus.Booked)))
            .ToDictionaryAsync(b => b.Kind, cancellationToken);
        var appointments = await db.Appointments.AsNoTracking()
            .Where(a => a.SlotAt >= from && a.SlotAt < to && (a.Status == AppointmentStatus.Arrived || a.Status == AppointmentStatus.NoShow) && (advisor == null || a.Advisor == advisor))
            .GroupBy(_ => 1).Select(g => new { Of = g.Count(), Arrived = g.Count(a => a.Status == AppointmentStatus.Arrived) })
            .SingleOrDefaultAsync(cancellationToken);

        Ratio Booked(string kind) => reminders.TryGetValue(kind, out var b) ? new Ratio(b.Booked, b.Of) : new Ratio(0, 0);
        static double? Minutes(double? milliseconds) => milliseconds is { } ms ? Math.Round(ms / 60_000, 1) : null;

        return new KpiReport
        {
            From = from,
            To = to,
            Advisor = advisor,
            Visits = visits?.Count ?? 0,
            MinutesToGreet = Minutes(visits?.ToGreet),
            GreetedWithinSla = new Ratio(visits?.GreetedWithinSla ?? 0, visits?.Greeted ?? 0),
            EstimateApproval = new Ratio(estimates?.Approved ?? 0, estimates?.Decided ?? 0),
            MinutesToApprove = Minutes(estimates?.ToApprove),
            AdditionalWorkApproval = new Ratio(additional?.Approved ?? 0, additional?.Decided ?? 0),
            PromisedTimeKept = new Ratio(visits?.Kept ?? 0, visits?.Promised ?? 0),
            EstimatedTotal = estimated,
            InvoicedTotal = invoiced,
            EstimateInvoiceVariance = estimated == 0 ? null : Math.Round((double)((invoiced - estimated) / estimated), 4),
            CallbackWithin3Days = new Ratio(callbacksInTime, callbacksDue),
            Satisfaction = [.. Enumerable.Range(1, 5).Select(s => scores.GetValueOrDefault(s))],
            Comebacks = new Ratio(comebacks, visits?.Count ?? 0),
            ReminderBooking = Booked(ReminderKind.Service),
            DeclinedWorkBooked = Booked(ReminderKind.DeclinedWork),
            AppointmentShow = new Ratio(appointments?.Arrived ?? 0, appointments?.Of ?? 0),
        };
    }
}
