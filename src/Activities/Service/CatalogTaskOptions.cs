using Followup.Activities.Data;
using Followup.Activities.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Service;

/// <summary>The menu catalog as a task's choices (<c>optionsFrom: "catalog"</c>): every item by its code, named with its menu price.</summary>
public sealed class CatalogTaskOptions(IDbContextFactory<DealershipDbContext> factory, IOptions<StoreOptions> store) : ITaskOptions
{
    public const string Source = "catalog";

    public async Task<IReadOnlyList<(string Value, OptionLabel Label)>?> ListAsync(string source, CancellationToken cancellationToken)
    {
        if (source != Source)
            return null;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var items = await db.Catalog.AsNoTracking().ToListAsync(cancellationToken);
        var order = StandardCatalog.Items.Select(i => i.Code).ToList();
        return [.. items.OrderBy(i => order.IndexOf(i.Code) is var at and >= 0 ? at : int.MaxValue).ThenBy(i => i.Code, StringComparer.Ordinal)
            .Select(i => (i.Code, new OptionLabel($"{i.NameZh}（{store.Value.Money(i.MenuPrice)}）", $"{i.NameEn} ({store.Value.Money(i.MenuPrice)})")))];
    }
}
