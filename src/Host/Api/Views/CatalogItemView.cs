using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>A menu item: names, labour hours, parts and menu price, service interval.</summary>
public sealed record CatalogItemView(string Code, string NameZh, string NameEn, decimal LabourHours, decimal PartsPrice, decimal MenuPrice, bool PartsInStock, int? IntervalKm)
{
    public static CatalogItemView From(CatalogItem c) => new(c.Code, c.NameZh, c.NameEn, c.LabourHours, c.PartsPrice, c.MenuPrice, c.PartsInStock, c.IntervalKm);
}
