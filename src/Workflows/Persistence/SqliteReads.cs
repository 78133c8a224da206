using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Followup.Workflows.Persistence;

/// <summary>
/// The run path's reads on SQLite (an event's bookmarks and triggers, an instance's row): connections kept open,
/// each with its statements prepared once. Through ADO.NET every read took a connection from the pool, prepared its
/// statement again (SQLite parses and plans the text each time) and read the row through a data reader.
/// </summary>
internal sealed class SqliteReads(string connectionString) : IDisposable
{
    /// <summary>Connections kept between reads; more may be open at once, and the extra ones are closed after use.</summary>
    private const int KeptSessions = 32;

    private readonly ConcurrentBag<Session> _idle = [];
    private volatile bool _disposed;

    /// <summary>The rows of <paramref name="table"/> that <paramref name="sql"/> selects with these values (@p0…).</summary>
    public List<T> Query<T>(SqlRows.Table table, string sql, IReadOnlyList<object?> values) where T : class
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var session = _idle.TryTake(out var idle) ? idle : new Session(connectionString);
        try
        {
            var rows = table.Read<T>(session.Prepared(sql, values.Count), values);
            Return(session);
            return rows;
        }
        catch
        {
            // A connection that failed is not handed out again.
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

    private sealed class Session : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);

        public Session(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
            SqlitePragmaInterceptor.Apply(_connection);
        }

        public SqliteStatement Prepared(string sql, int parameterCount)
        {
            if (!_statements.TryGetValue(sql, out var statement))
                _statements[sql] = statement = new SqliteStatement(_connection, sql, parameterCount);
            return statement;
        }

        public void Dispose()
        {
            foreach (var statement in _statements.Values)
                statement.Dispose();
            _connection.Dispose();
        }
    }
}
