using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Data;

/// <summary>
/// The menu the shipped service-visit workflow offers (its needs form lists these codes). Written once into an empty
/// catalog; managers change prices and items afterwards through the API.
/// </summary>
public static class StandardCatalog
{
    public static readonly IReadOnlyList<CatalogItem> Items =
    [
        new() { Code = "OIL", NameZh = "更换机油及机油滤清器", NameEn = "Oil and oil filter change", LabourHours = 0.5m, PartsPrice = 320, MenuPrice = 480, IntervalKm = 5000, IntervalDays = 180 },
        new() { Code = "AIRF", NameZh = "更换空气滤清器", NameEn = "Air filter replacement", LabourHours = 0.2m, PartsPrice = 90, MenuPrice = 150, IntervalKm = 20000, IntervalDays = 365 },
        new() { Code = "CABINF", NameZh = "更换空调滤清器", NameEn = "Cabin filter replacement", LabourHours = 0.3m, PartsPrice = 110, MenuPrice = 190, IntervalKm = 20000, IntervalDays = 365 },
        new() { Code = "SPARK", NameZh = "更换火花塞", NameEn = "Spark plugs replacement", LabourHours = 0.8m, PartsPrice = 360, MenuPrice = 600, IntervalKm = 40000, IntervalDays = 730 },
        new() { Code = "BRAKEF", NameZh = "更换前刹车片", NameEn = "Front brake pads", LabourHours = 1.0m, PartsPrice = 520, MenuPrice = 820, Safety = true },
        new() { Code = "BRAKEFL", NameZh = "更换刹车油", NameEn = "Brake fluid change", LabourHours = 0.6m, PartsPrice = 120, MenuPrice = 300, IntervalKm = 40000, IntervalDays = 730, Safety = true },
        new() { Code = "TYROT", NameZh = "轮胎换位", NameEn = "Tyre rotation", LabourHours = 0.5m, PartsPrice = 0, MenuPrice = 150, IntervalKm = 10000, IntervalDays = 180, Safety = true },
        new() { Code = "ALIGN", NameZh = "四轮定位", NameEn = "Wheel alignment", LabourHours = 1.0m, PartsPrice = 0, MenuPrice = 300, Safety = true },
        new() { Code = "WIPER", NameZh = "更换雨刮片", NameEn = "Wiper blades", LabourHours = 0.1m, PartsPrice = 160, MenuPrice = 190 },
        new() { Code = "BATT", NameZh = "蓄电池检测", NameEn = "Battery test", LabourHours = 0.2m, PartsPrice = 0, MenuPrice = 60, Repair = false },
        new() { Code = "ACCLEAN", NameZh = "空调系统清洗", NameEn = "Air-conditioning cleaning", LabourHours = 0.8m, PartsPrice = 180, MenuPrice = 420, PartsInStock = false },
        new() { Code = "WASHDEEP", NameZh = "深度清洗内饰", NameEn = "Interior deep clean", LabourHours = 1.5m, PartsPrice = 60, MenuPrice = 380, Repair = false },
    ];

    public static async Task EnsureAsync(DealershipDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Catalog.AnyAsync(cancellationToken))
            return;
        db.Catalog.AddRange(Items.Select(i => new CatalogItem
        {
            Code = i.Code, NameZh = i.NameZh, NameEn = i.NameEn, LabourHours = i.LabourHours, PartsPrice = i.PartsPrice,
            MenuPrice = i.MenuPrice, PartsInStock = i.PartsInStock, IntervalKm = i.IntervalKm, IntervalDays = i.IntervalDays, Safety = i.Safety, Repair = i.Repair,
        }));
        await db.SaveChangesAsync(cancellationToken);
    }
}
