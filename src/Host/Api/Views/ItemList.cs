namespace Followup.Host.Api.Views;

/// <summary>A list answer: <c>{ "items": [...] }</c>.</summary>
public sealed record ItemList<T>(IReadOnlyList<T> Items);
