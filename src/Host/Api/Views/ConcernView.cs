using Followup.Activities.Data;

namespace Followup.Host.Api.Views;

/// <summary>A concern the customer raised, the menu item it maps to and its warranty status.</summary>
public sealed record ConcernView(long Id, string Text, string? CatalogCode, string Warranty, string? WarrantyNote, string? ClaimRef)
{
    public static ConcernView From(Concern c) => new(c.Id, c.Text, c.CatalogCode, c.Warranty, c.WarrantyNote, c.ClaimRef);
}
