using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Followup.Workflows.Persistence.Sqlite;

/// <summary>
/// A statement prepared once on a SQLite connection's handle and run again and again with values bound by position.
/// The group writer binds thousands of values a second: through ADO.NET each one is looked up by name (a linear
/// search in SQLite) and wrapped in a binder object, and each text is copied to UTF-8 on the managed heap. Values are
/// stored as Microsoft.Data.Sqlite stores them, so EF Core reads them back the same.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    /// <summary>SQLite's position of each parameter @p0, @p1, … (1-based).</summary>
    private readonly int[] _positions;

    public SqliteStatement(SqliteConnection connection, string sql, int parameterCount)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        _positions = new int[parameterCount];
        for (var i = 0; i < parameterCount; i++)
            _positions[i] = raw.sqlite3_bind_parameter_index(_statement, $"@p{i}");
        if (raw.sqlite3_bind_parameter_count(_statement) != parameterCount || _positions.Contains(0))
        {
            _statement.Dispose();
            throw new ArgumentException($"The statement does not take exactly the values @p0…@p{parameterCount - 1}: {sql}", nameof(sql));
        }
    }

    /// <summary>Runs the statement with these values in the connection's current transaction; returns the rows changed.</summary>
    public int Execute(IReadOnlyList<object?> values)
    {
        try
        {
            BindAll(values);
            var result = raw.sqlite3_step(_statement);
            if (result is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
                Check(result);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs a query with these values; <paramref name="read"/> turns the current row into a result.</summary>
    public List<T> Query<T>(IReadOnlyList<object?> values, Func<SqliteStatement, T> read)
    {
        try
        {
            BindAll(values);
            var rows = new List<T>();
            int result;
            while ((result = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
                rows.Add(read(this));
            if (result != raw.SQLITE_DONE)
                Check(result);
            return rows;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public int ColumnCount => raw.sqlite3_column_count(_statement);

    public string ColumnName(int column) => raw.sqlite3_column_name(_statement, column).utf8_to_string();

    /// <summary>A column of the current row as <paramref name="type"/>, read as Microsoft.Data.Sqlite reads what it stored.</summary>
    public object? Read(int column, Type type)
    {
        if (raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL)
            return null;
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string))
            return Text(column);
        if (t == typeof(Utf8Json))
            return new Utf8Json(raw.sqlite3_column_blob(_statement, column).ToArray());
        if (t == typeof(long))
            return raw.sqlite3_column_int64(_statement, column);
        if (t == typeof(int))
            return checked((int)raw.sqlite3_column_int64(_statement, column));
        if (t == typeof(bool))
            return raw.sqlite3_column_int64(_statement, column) != 0;
        if (t == typeof(double))
            return raw.sqlite3_column_double(_statement, column);
        if (t == typeof(DateTime))
            return DateTime.Parse(Text(column), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        if (t == typeof(TimeSpan))
            return TimeSpan.Parse(Text(column), CultureInfo.InvariantCulture);
        throw new NotSupportedException($"Reading a {t.Name} column is not supported.");
    }

    /// <summary>A text column of the current row that is never null.</summary>
    public string Text(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    private void BindAll(IReadOnlyList<object?> values)
    {
        if (values.Count != _positions.Length)
            throw new ArgumentException($"The statement takes {_positions.Length} values, not {values.Count}.", nameof(values));
        for (var i = 0; i < values.Count; i++)
            Check(Bind(_positions[i], values[i]));
    }

    private int Bind(int position, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                return raw.sqlite3_bind_null(_statement, position);
            case string text:
                return BindText(position, text);
            case Utf8Json json:
                return raw.sqlite3_bind_text(_statement, position, json.Span);
            case bool flag:
                return raw.sqlite3_bind_int64(_statement, position, flag ? 1 : 0);
            case int number:
                return raw.sqlite3_bind_int64(_statement, position, number);
            case long number:
                return raw.sqlite3_bind_int64(_statement, position, number);
            case double number:
                return raw.sqlite3_bind_double(_statement, position, number);
            case byte[] bytes:
                return raw.sqlite3_bind_blob(_statement, position, bytes);
            case DateTime time:
                return BindFormatted(position, time, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF");
            case DateTimeOffset time:
                return BindFormatted(position, time, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz");
            case TimeSpan span:
                return BindFormatted(position, span, "c");
            case Enum member:
                return raw.sqlite3_bind_int64(_statement, position, Convert.ToInt64(member, CultureInfo.InvariantCulture));
            default:
                throw new NotSupportedException($"Binding a {value.GetType().Name} to a SQLite statement is not supported.");
        }
    }

    private int BindFormatted<T>(int position, T value, string format) where T : ISpanFormattable
    {
        Span<char> text = stackalloc char[48];
        return value.TryFormat(text, out var written, format, CultureInfo.InvariantCulture)
            ? BindText(position, text[..written])
            : BindText(position, value.ToString(format, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Text goes in as UTF-8, the database's encoding, encoded here into a pooled buffer that SQLite copies: given
    /// UTF-16, SQLite converts it a character at a time, on the one writer thread, for every instance's JSON state.
    /// </summary>
    private int BindText(int position, ReadOnlySpan<char> text)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            return raw.sqlite3_bind_text(_statement, position, buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result, raw.sqlite3_extended_errcode(_db));
    }

    public void Dispose() => _statement.Dispose();
}

/// <summary>The statements prepared on one SQLite connection, by their text: each is prepared once and run again and again.</summary>
internal sealed class SqliteStatements(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteStatement> _prepared = new(StringComparer.Ordinal);

    public SqliteStatement For(string sql, int parameterCount)
    {
        if (!_prepared.TryGetValue(sql, out var statement))
            _prepared[sql] = statement = new SqliteStatement(connection, sql, parameterCount);
        return statement;
    }

    public void Dispose()
    {
        foreach (var statement in _prepared.Values)
            statement.Dispose();
        _prepared.Clear();
    }
}
