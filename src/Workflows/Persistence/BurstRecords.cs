using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Followup.Workflows.Persistence;

public enum RecordWriteKind
{
    Insert,
    Update,

    /// <summary>Inserted unless a row with the same unique key is there already (a step run again after a crash adds nothing).</summary>
    InsertUnlessExists,
}

public sealed record RecordWrite(object Row, RecordWriteKind Kind);

/// <summary>
/// Rows of a module's own tables (a completed task, a message to send) that a burst writes with the workflow's new
/// state, in the same transaction: they are written exactly when the state is, or not at all. The module registers the
/// EF model of those tables (<see cref="RecordModelRegistration.AddWorkflowRecords{TContext}"/>); the engine knows them only as rows.
/// </summary>
public sealed class BurstRecords
{
    private readonly List<RecordWrite> _writes = [];

    public IReadOnlyList<RecordWrite> Writes => _writes;

    public void Insert<T>(T row) where T : class => _writes.Add(new RecordWrite(row, RecordWriteKind.Insert));

    /// <summary>Every column of the row but its key, by its key. A row inserted in the same burst is written once, as it is at the commit.</summary>
    public void Update<T>(T row) where T : class
    {
        if (!_writes.Any(w => ReferenceEquals(w.Row, row)))
            _writes.Add(new RecordWrite(row, RecordWriteKind.Update));
    }

    public void InsertUnlessExists<T>(T row) where T : class => _writes.Add(new RecordWrite(row, RecordWriteKind.InsertUnlessExists));

    /// <summary>The write a module prepared in this burst and left to the commit (<see cref="IPreparedWrite"/>), if any.</summary>
    public IPreparedWrite? Prepared { get; private set; }

    /// <summary>Leaves a prepared write to the commit; one per burst.</summary>
    public void Prepare(IPreparedWrite write)
    {
        if (Prepared != null)
            throw new InvalidOperationException("This burst already has a prepared write; a second write is made in the burst's transaction.");
        Prepared = write;
    }

    /// <summary>Takes the prepared write back (to make it now, or to let it go); the commit will not make it.</summary>
    public IPreparedWrite? TakePrepared()
    {
        var prepared = Prepared;
        Prepared = null;
        return prepared;
    }

    internal void Clear() => _writes.Clear();
}

/// <summary>
/// A module's write that its step prepared without a transaction and the commit makes, on the commit's connection and
/// in its transaction, with the instance's new state: a burst whose only write is this one needs no transaction of its
/// own and joins the group commit (on SQLite it takes no writers' turn while its steps run). The commit may make it more
/// than once, each time in a new transaction after the last was rolled back (a group that failed is written again one
/// burst at a time), so making it must not change what it will write.
/// </summary>
public interface IPreparedWrite : IAsyncDisposable
{
    Task WriteAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken);
}

/// <summary>
/// The database refused a burst's prepared write: nothing of the burst is written, and it runs again with its steps
/// writing as they go (the step whose write is refused then faults). It passes through the steps unhandled.
/// </summary>
public sealed class PreparedWriteException(Exception inner) : Exception("The database refused a step's prepared write: " + inner.Message, inner)
{
    /// <summary>Makes a prepared write; whatever refuses it comes as a <see cref="PreparedWriteException"/>.</summary>
    public static async Task MakeAsync(IPreparedWrite write, System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken)
    {
        try
        {
            await write.WriteAsync(connection, transaction, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new PreparedWriteException(ex);
        }
    }
}

/// <summary>The EF models whose tables bursts may write rows of: the engine's own and those modules registered.</summary>
public sealed class RecordModels(IEnumerable<RecordModels.Source> sources, IServiceProvider services)
{
    /// <summary>A module's model, read from its context when first needed.</summary>
    public sealed record Source(Func<IServiceProvider, IModel> Model);

    private readonly Lazy<IReadOnlyList<IModel>> _models = new(() => [.. sources.Select(s => s.Model(services))]);

    public IReadOnlyList<IModel> Models => _models.Value;

    /// <summary>Lets bursts write rows of the tables of <typeparamref name="TContext"/> (registered with a context factory).</summary>
    public static void Register<TContext>(IServiceCollection services) where TContext : DbContext =>
        services.AddSingleton(new Source(sp =>
        {
            using var context = sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext();
            return context.Model;
        }));
}

public static class RecordModelRegistration
{
    /// <summary>Lets workflow bursts write rows of <typeparamref name="TContext"/>'s tables in their transaction.</summary>
    public static IServiceCollection AddWorkflowRecords<TContext>(this IServiceCollection services) where TContext : DbContext
    {
        RecordModels.Register<TContext>(services);
        return services;
    }
}
