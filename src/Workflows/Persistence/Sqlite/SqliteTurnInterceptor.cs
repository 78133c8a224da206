using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Followup.Workflows.Persistence.Sqlite;

/// <summary>
/// The contexts' writes on the workflow database (the dealership's records, the outbox, the staff, the definitions)
/// take the writers' turn like the engine's (<see cref="SqliteWriteTurns"/>): a transaction from its start to its end,
/// a write outside one for as long as its statement runs. Without it such a write waited on SQLite's busy handler,
/// which sleeps longer after each try (up to 100 ms a time) and finds the file free only by chance while the engine's
/// writers hand it on from one to the next: opening a visit or a customer's first look at the page took up to seconds.
/// </summary>
public sealed class SqliteTurnInterceptor(WorkflowDatabase database) : IDbTransactionInterceptor, IDbCommandInterceptor, IDbConnectionInterceptor
{
    /// <summary>The connections that hold the turn now.</summary>
    private static readonly ConditionalWeakTable<DbConnection, SemaphoreSlim> Holding = [];

    private SemaphoreSlim? _turn;

    private SemaphoreSlim Turn => _turn ??= SqliteWriteTurns.For(database);

    private void Take(DbConnection connection)
    {
        if (Holding.TryGetValue(connection, out _))
            return;
        SqliteWriteTurns.Wait(Turn);
        Holding.AddOrUpdate(connection, Turn);
    }

    private async ValueTask TakeAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (Holding.TryGetValue(connection, out _))
            return;
        await SqliteWriteTurns.WaitAsync(Turn, cancellationToken);
        Holding.AddOrUpdate(connection, Turn);
    }

    private static void Give(DbConnection? connection)
    {
        if (connection != null && Holding.TryGetValue(connection, out var turn) && Holding.Remove(connection))
            turn.Release();
    }

    /// <summary>The connection of a transaction that has ended (SQLite's transaction forgets it then), or failed to begin.</summary>
    private static DbConnection? ConnectionOf(DbTransaction? transaction, DbContextEventData eventData) =>
        transaction?.Connection ?? (eventData.Context?.Database is { } db ? Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetDbConnection(db) : null);

    /// <summary>A statement outside a transaction that changes the file (a read, or a write in a transaction, needs no turn of its own).</summary>
    private static bool WritesAlone(DbCommand command) => command.Transaction is null && !Reads(command.CommandText);

    private static bool Reads(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        return text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("WITH", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase) || text.StartsWith("EXPLAIN", StringComparison.OrdinalIgnoreCase);
    }

    // A transaction holds the turn from its start to its end; a connection closed meanwhile gives it back.
    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Take(connection);
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await TakeAsync(connection, cancellationToken);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Give(ConnectionOf(transaction, eventData));

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Given(ConnectionOf(transaction, eventData));

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Give(ConnectionOf(transaction, eventData));

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Given(ConnectionOf(transaction, eventData));

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Give(ConnectionOf(transaction, eventData));

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) =>
        Given(ConnectionOf(transaction, eventData));

    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Give(connection);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData) => Given(connection);

    private static Task Given(DbConnection? connection)
    {
        Give(connection);
        return Task.CompletedTask;
    }

    // A write outside a transaction holds the turn while its statement runs (a reader's, until it is closed).
    private T TakenFor<T>(DbCommand command, T result)
    {
        if (WritesAlone(command))
            Take(command.Connection!);
        return result;
    }

    private async ValueTask<T> TakenForAsync<T>(DbCommand command, T result, CancellationToken cancellationToken)
    {
        if (WritesAlone(command))
            await TakeAsync(command.Connection!, cancellationToken);
        return result;
    }

    private static T GivenFor<T>(DbCommand command, T result)
    {
        if (command.Transaction is null)
            Give(command.Connection);
        return result;
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) => TakenFor(command, result);

    public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default) => TakenForAsync(command, result, cancellationToken);

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        TakenFor(command, result);

    public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) => TakenForAsync(command, result, cancellationToken);

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) => TakenFor(command, result);

    public ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result,
        CancellationToken cancellationToken = default) => TakenForAsync(command, result, cancellationToken);

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result) => GivenFor(command, result);

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(GivenFor(command, result));

    public InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result) => GivenFor(command, result);

    public ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result) =>
        ValueTask.FromResult(GivenFor(command, result));

    public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result) => GivenFor(command, result);

    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(GivenFor(command, result));

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => GivenFor(command, 0);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default) =>
        GivenFor(command, Task.CompletedTask);

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => GivenFor(command, 0);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default) =>
        GivenFor(command, Task.CompletedTask);
}
