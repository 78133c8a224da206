using Followup.Activities.Data;
using Followup.Activities.Service;
using Followup.Activities.Service.Steps;

namespace Followup.Host.Tests;

/// <summary>The rules of the service activities on their own: comeback likeness, reconciliation, due dates, promised times.</summary>
public sealed class ServiceRulesTests
{
    private static Concern C(string text, string? code = null) => new() { VisitId = "v", Text = text, CatalogCode = code };

    [Theory]
    [InlineData("Squeak from the front brakes when stopping", "Front brakes squeak again when stopping", true)]
    [InlineData("Squeak from the front brakes when stopping", "Rattle in the dashboard", false)]
    [InlineData("前刹车有异响", "前刹车还是有异响", true)]
    [InlineData("前刹车有异响", "空调不制冷", false)]
    public void Concerns_in_other_words_are_the_same_concern(string before, string now, bool same) =>
        Assert.Equal(same, DetectComeback.Similar(C(now), C(before)));

    [Fact]
    public void The_same_menu_item_is_the_same_concern_and_a_different_one_is_not()
    {
        Assert.True(DetectComeback.Similar(C("Front brake pads", "BRAKEF"), C("前刹车片", "BRAKEF")));
        Assert.False(DetectComeback.Similar(C("Oil change", "OIL"), C("Front brake pads", "BRAKEF")));
    }

    private static InvoiceLine I(string key, decimal price) => new() { InvoiceId = "i", LineKey = key, Description = key, Parts = price };

    private static EstimateLine D(string key, decimal price, bool approved) => new() { EstimateId = "e", LineKey = key, Description = key, Parts = price, Approved = approved };

    [Fact]
    public void An_invoice_line_above_or_beyond_what_was_approved_is_an_overrun()
    {
        var plan = Reconciliation.Plan([I("OIL", 480), I("BRAKEF", 900), I("extra", 150)], [D("OIL", 480, true), D("BRAKEF", 820, true)]);
        Assert.Equal(["BRAKEF", "extra"], plan.Overruns.Select(l => l.LineKey).ToArray());
        Assert.Equal(480m, plan.Total);
    }

    [Fact]
    public void A_declined_overrun_is_taken_off_or_capped_at_the_earlier_approved_price()
    {
        var plan = Reconciliation.Plan([I("OIL", 480), I("BRAKEF", 900), I("extra", 150)],
            [D("OIL", 480, true), D("BRAKEF", 820, true), D("BRAKEF", 900, false), D("extra", 150, false)]);
        Assert.Empty(plan.Overruns);
        Assert.Equal(["extra"], plan.Removed.ToArray());
        Assert.Equal(820m, plan.CappedAt["BRAKEF"]);
        Assert.Equal(1300m, plan.Total);
    }

    [Fact]
    public void The_next_service_is_due_by_projected_mileage_when_the_car_is_driven_a_lot_and_by_date_otherwise()
    {
        var delivered = new DateTime(2026, 5, 3, 0, 0, 0, DateTimeKind.Utc);
        MileageReading M(int km, DateTime at) => new() { VehicleId = "v", Kilometres = km, ReadAt = at, Source = "test" };
        var busy = NextServiceReminder.Due(delivered, [M(10000, delivered.AddDays(-100)), M(20000, delivered)], 180, 5000);
        Assert.Equal(("mileage", delivered.AddDays(50), 25000), (busy.Basis, busy.At, busy.Km));
        var quiet = NextServiceReminder.Due(delivered, [M(10000, delivered.AddDays(-100)), M(11000, delivered)], 180, 5000);
        Assert.Equal(("date", delivered.AddDays(180), 16000), (quiet.Basis, quiet.At, quiet.Km));
        var unknown = NextServiceReminder.Due(delivered, [], 180, 5000);
        Assert.Equal(("date", delivered.AddDays(180), (int?)null), (unknown.Basis, unknown.At, unknown.Km));
    }

    [Fact]
    public void The_promised_time_adds_the_queue_over_the_bays_and_the_quality_check_then_rounds_up_to_a_quarter_hour()
    {
        var now = new DateTime(2026, 5, 3, 1, 52, 0, DateTimeKind.Utc);
        Assert.Equal(new DateTime(2026, 5, 3, 3, 45, 0, DateTimeKind.Utc), SetPromisedTime.Compute(now, 1.3m, 0, 4));
        Assert.Equal(new DateTime(2026, 5, 3, 4, 15, 0, DateTimeKind.Utc), SetPromisedTime.Compute(now, 1.3m, 2, 4));
    }
}
