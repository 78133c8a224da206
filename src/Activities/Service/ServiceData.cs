using System.Globalization;
using System.Text.Json;
using Followup.Activities.Data;
using Followup.Activities.Messaging;
using Followup.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Followup.Activities.Service;

/// <summary>How the service activities read the dealership's records and write them with the workflow's step.</summary>
public static class ServiceData
{
    /// <summary>Reads the records; inside a burst that already wrote, on its transaction so the step sees those writes.</summary>
    public static async Task<T> ReadAsync<T>(ActivityExecutionContext context, Func<DealershipDbContext, Task<T>> read)
    {
        if (context.Workflow.Transaction is { } burst)
        {
            await using var inBurst = await burst.ContextAsync(c => DealershipDbContext.Over(c, burst.Database.Provider), context.CancellationToken);
            return await read(inBurst);
        }
        await using var db = await context.GetRequiredService<IDbContextFactory<DealershipDbContext>>().CreateDbContextAsync(context.CancellationToken);
        return await read(db);
    }

    /// <summary>
    /// Writes records in the transaction that commits the step: a crash before the commit leaves neither, and the
    /// step run again writes them once. Each write leaves an audit entry naming the workflow.
    /// </summary>
    public static async Task WriteAsync(ActivityExecutionContext context, string action, string entityType, string entityId, Func<DealershipDbContext, CancellationToken, Task> write)
    {
        var burst = await context.Workflow.TransactionAsync();
        await using var db = await burst.ContextAsync(c => DealershipDbContext.Over(c, burst.Database.Provider), context.CancellationToken);
        await write(db, context.CancellationToken);
        db.Audit.Add(AuditEntry.Of($"workflow:{context.Workflow.Definition.DefinitionId}", action, entityType, entityId, Now(context)));
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public static DateTime Now(ActivityExecutionContext context) => context.Clock.GetUtcNow().UtcDateTime;

    /// <summary>A time as the store's staff and customers read it (the store's time zone).</summary>
    public static string LocalTime(ActivityExecutionContext context, DateTime utc)
    {
        return context.GetRequiredService<IOptions<MessagingOptions>>().Value.Show(utc);
    }
}

/// <summary>Reading a task's submitted values (or any object a step was given) by name.</summary>
public sealed class StepValues(object? source)
{
    private readonly IReadOnlyDictionary<string, object?> values = Workflows.Expressions.ValueConverter.Normalize(source) switch
    {
        IReadOnlyDictionary<string, object?> d => d,
        IDictionary<string, object?> d => d.ToDictionary(),
        _ => new Dictionary<string, object?>(),
    };

    public string? Text(string name) => values.GetValueOrDefault(name) switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
        var v => Convert.ToString(v, CultureInfo.InvariantCulture),
    };

    public decimal? Number(string name) => values.GetValueOrDefault(name) switch
    {
        null => null,
        string s => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null,
        var v => Convert.ToDecimal(v, CultureInfo.InvariantCulture),
    };

    public bool? Flag(string name) => values.GetValueOrDefault(name) switch
    {
        null => null,
        bool b => b,
        string s => s is "true" or "yes" or "on" ? true : s is "false" or "no" ? false : null,
        _ => null,
    };

    public IReadOnlyList<string> List(string name) => List(values.GetValueOrDefault(name));

    public static IReadOnlyList<string> List(object? value) => value switch
    {
        null => [],
        string s => s.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        JsonElement e => List(Workflows.Serialization.JsonValues.ToClr(e)),
        System.Collections.IEnumerable items => items.Cast<object?>().Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)).OfType<string>().Where(i => i.Length > 0).ToList(),
        _ => [Convert.ToString(value, CultureInfo.InvariantCulture)!],
    };
}
