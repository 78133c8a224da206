using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Followup.Workflows.Persistence.Sql;

/// <summary>
/// The database transaction of one burst, opened when a step first reads or writes other tables of the workflow
/// database (the dealership's records). Those reads see the burst's own writes, and the writes commit together with
/// the instance's new state or not at all: a step run again after a crash writes once. On SQLite the burst joins the
/// group commit (<see cref="GroupCommit.JoinAsync"/>) and commits with the bursts around it; on PostgreSQL, where
/// writers run side by side, it has a connection and transaction of its own.
/// </summary>
public sealed class BurstTransaction : IAsyncDisposable
{
    private BurstTransaction(WorkflowDatabase database, DbConnection connection, DbTransaction transaction, SemaphoreSlim? turn, GroupSlot? slot)
    {
        Database = database;
        Connection = connection;
        Transaction = transaction;
        _turn = turn;
        _slot = slot;
    }

    /// <summary>SQLite, a transaction of its own: the writers' turn it holds until it ends (<see cref="Sqlite.SqliteWriteTurns"/>).</summary>
    private SemaphoreSlim? _turn;

    /// <summary>SQLite, joined: the burst's place in the group.</summary>
    private readonly GroupSlot? _slot;

    /// <summary>1 once a joined burst gave its place back.</summary>
    private int _ended;

    public WorkflowDatabase Database { get; }
    public DbConnection Connection { get; }

    /// <summary>The transaction to enlist commands in. Commit and end through <see cref="CommitAsync"/> and <see cref="DisposeAsync"/>, not on it: on SQLite it is the group's.</summary>
    public DbTransaction Transaction { get; }

    /// <summary>A connection and transaction of the burst's own.</summary>
    public static async Task<BurstTransaction> BeginAsync(WorkflowDatabase database, CancellationToken cancellationToken)
    {
        var turn = database.Provider == DatabaseProvider.Sqlite ? Sqlite.SqliteWriteTurns.For(database) : null;
        if (turn != null)
            await turn.WaitAsync(cancellationToken);
        try
        {
            var connection = await database.OpenAsync(forWriting: true, cancellationToken);
            // SQLite: BEGIN IMMEDIATE, so the write lock is taken up front rather than on a later upgrade that could fail.
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new BurstTransaction(database, connection, transaction, turn, slot: null);
        }
        catch
        {
            turn?.Release();
            throw;
        }
    }

    /// <summary>A place in the group commit's next transaction.</summary>
    internal static async Task<BurstTransaction> JoinAsync(GroupCommit group, CancellationToken cancellationToken)
    {
        var slot = await group.JoinAsync(cancellationToken);
        return new BurstTransaction(group.Database, slot.Session.Connection, slot.Transaction, turn: null, slot);
    }

    /// <summary>A context of the given kind on this transaction's connection, enlisted in it.</summary>
    public async Task<T> ContextAsync<T>(Func<DbConnection, T> create, CancellationToken cancellationToken) where T : DbContext
    {
        var context = create(Connection);
        await context.Database.UseTransactionAsync(Transaction, cancellationToken);
        return context;
    }

    /// <summary>Writes a burst's plan in this transaction (joined: with the group writer's prepared statements).</summary>
    internal async Task ApplyAsync(WritePlan plan, CancellationToken cancellationToken)
    {
        if (_slot is { } slot)
        {
            await WritePlan.ApplyAsync(slot.Session, [plan], cancellationToken);
            return;
        }
        await using var session = new SqlSession(Connection, Transaction);
        await WritePlan.ApplyAsync(session, [plan], cancellationToken);
    }

    /// <summary>Commits; joined, the writes are kept in the group and this completes when the group has committed.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_slot is { } slot)
        {
            if (Interlocked.Exchange(ref _ended, 1) == 1)
                throw new InvalidOperationException("This burst's transaction has ended.");
            await slot.Commit();
        }
        else
            await Transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Ends the transaction; what was not committed is rolled back.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_slot is { } slot)
        {
            // The connection and transaction are the group's: they are given back, not closed.
            if (Interlocked.Exchange(ref _ended, 1) == 0)
                slot.Leave();
            return;
        }
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
