namespace Followup.Host.Api.Elsa;

/// <summary>Elsa's list answer: <c>{ "items": [...], "count": n }</c>.</summary>
public sealed record ElsaList<T>(IReadOnlyList<T> Items, int Count)
{
    public ElsaList(IReadOnlyList<T> items) : this(items, items.Count)
    {
    }
}
