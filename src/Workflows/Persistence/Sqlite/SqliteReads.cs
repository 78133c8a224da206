using System.Collections.Concurrent;
using Followup.Workflows.Persistence.Sql;
using Microsoft.Data.Sqlite;

namespace Followup.Workflows.Persistence.Sqlite;

/// <summary>
/// The run path's reads on SQLite (an event's bookmarks and triggers, an instance's row): connections kept open,
/// each with its statements prepared once. Through ADO.NET every read took a connection from the pool, prepared its
/// statement again (SQLite parses and plans the text each time) and read the row through a data reader.
/// </summary>
internal sealed class SqliteReads(WorkflowDatabase database) : IDisposable
{
    /// <summary>Connections kept between reads; more may be open at once, and the extra ones are closed after use.</summary>
    private const int KeptSessions = 32;

    private readonly ConcurrentBag<Session> _idle = [];
    private volatile bool _disposed;

    /// <summary>The rows of <paramref name="table"/> that <paramref name="sql"/> selects with these values (@p0…).</summary>
    public List<T> Query<T>(SqlRows.Table table, string sql, IReadOnlyList<object?> values) where T : class =>
        Use(session => session.Query<T>(table, sql, values));

    /// <summary>
    /// Several reads in one read transaction on one connection: they see one snapshot, and SQLite takes its locks and
    /// checks the log once, keeping the pages the first read fetched for the next.
    /// </summary>
    public TResult InOneTransaction<TResult>(Func<Session, TResult> reads) => Use(session =>
    {
        session.Execute("BEGIN");
        var result = reads(session);
        session.Execute("COMMIT");
        return result;
    });

    private TResult Use<TResult>(Func<Session, TResult> work)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var session = _idle.TryTake(out var idle) ? idle : new Session(database);
        try
        {
            var result = work(session);
            Return(session);
            return result;
        }
        catch
        {
            // A connection that failed (or is left in a transaction) is not handed out again.
            session.Dispose();
            throw;
        }
    }

    private void Return(Session session)
    {
        if (_disposed || _idle.Count >= KeptSessions)
        {
            session.Dispose();
            return;
        }
        _idle.Add(session);
        // Disposed meanwhile: nobody else will close it.
        if (_disposed && _idle.TryTake(out var late))
            late.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var session))
            session.Dispose();
    }

    internal sealed class Session : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteStatements _statements;

        public Session(WorkflowDatabase database)
        {
            _connection = new SqliteConnection(database.ConnectionString);
            _connection.Open();
            database.SqlitePragmas.Apply(_connection);
            _statements = new SqliteStatements(_connection);
        }

        public List<T> Query<T>(SqlRows.Table table, string sql, IReadOnlyList<object?> values) where T : class =>
            table.Read<T>(_statements.For(sql, values.Count), values);

        /// <summary>The rows <paramref name="sql"/> selects with these values, each made by <paramref name="read"/>.</summary>
        public List<T> Query<T>(string sql, IReadOnlyList<object?> values, Func<SqliteStatement, T> read) =>
            _statements.For(sql, values.Count).Query(values, read);

        public void Execute(string sql) => _statements.For(sql, 0).Execute([]);

        public void Dispose()
        {
            _statements.Dispose();
            _connection.Dispose();
        }
    }
}
