using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Followup.Workflows.Persistence.Sql;

/// <summary>
/// The database transaction of one burst, opened when a step first reads or writes other tables of the workflow
/// database (the dealership's records). Those reads see the burst's own writes, and the writes commit together with
/// the instance's new state or not at all: a step run again after a crash writes once.
/// </summary>
public sealed class BurstTransaction : IAsyncDisposable
{
    private BurstTransaction(WorkflowDatabase database, DbConnection connection, DbTransaction transaction, SemaphoreSlim? turn)
    {
        Database = database;
        Connection = connection;
        Transaction = transaction;
        _turn = turn;
    }

    /// <summary>SQLite: the writers' turn this transaction holds until it ends (<see cref="Sqlite.SqliteWriteTurns"/>).</summary>
    private SemaphoreSlim? _turn;

    public WorkflowDatabase Database { get; }
    public DbConnection Connection { get; }
    public DbTransaction Transaction { get; }

    public static async Task<BurstTransaction> BeginAsync(WorkflowDatabase database, CancellationToken cancellationToken)
    {
        var turn = database.Provider == DatabaseProvider.Sqlite ? Sqlite.SqliteWriteTurns.For(database) : null;
        if (turn != null)
            await Sqlite.SqliteWriteTurns.WaitAsync(turn, cancellationToken);
        try
        {
            var connection = await database.OpenAsync(forWriting: true, cancellationToken);
            // SQLite: BEGIN IMMEDIATE, so the write lock is taken up front rather than on a later upgrade that could fail.
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new BurstTransaction(database, connection, transaction, turn);
        }
        catch
        {
            turn?.Release();
            throw;
        }
    }

    /// <summary>A context of the given kind on this transaction's connection, enlisted in it.</summary>
    public async Task<T> ContextAsync<T>(Func<DbConnection, T> create, CancellationToken cancellationToken) where T : DbContext
    {
        var context = create(Connection);
        await context.Database.UseTransactionAsync(Transaction, cancellationToken);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
        finally
        {
            Interlocked.Exchange(ref _turn, null)?.Release();
        }
    }
}
