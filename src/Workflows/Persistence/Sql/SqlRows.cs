using System.Collections.Concurrent;
using System.Data.Common;
using Followup.Workflows.Persistence.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Followup.Workflows.Persistence.Sql;

/// <summary>
/// Plain SQL for the engine's records (and the modules' rows bursts write), built once per record type from the EF model (table, columns, key): the
/// run-until-blocked path reads and writes without query compilation or change tracking. The statements quote every
/// name, so the same text serves SQLite and PostgreSQL.
/// </summary>
internal sealed class SqlRows(IReadOnlyList<IModel> models)
{
    private readonly ConcurrentDictionary<Type, Table> _tables = new();

    public Table For(Type type) => _tables.GetOrAdd(type, t => new Table(models.Select(m => m.FindEntityType(t)).FirstOrDefault(e => e != null)
        ?? throw new InvalidOperationException($"{t.Name} is neither one of the engine's records nor of a module's registered with AddWorkflowRecords.")));

    public Table For<T>() => For(typeof(T));

    internal sealed class Table
    {
        private readonly IProperty[] _inserted;
        private readonly IProperty[] _updated;
        private readonly Dictionary<string, IProperty> _byColumn;

        public Table(IEntityType entity)
        {
            Name = Quote(entity.GetTableName()!);
            var key = entity.FindPrimaryKey()!.Properties;
            var all = entity.GetProperties().ToArray();
            _inserted = [.. all.Where(p => !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd))];
            _updated = [.. all.Where(p => !p.IsPrimaryKey()).Concat(key)];
            _byColumn = all.ToDictionary(p => p.GetColumnName(), StringComparer.OrdinalIgnoreCase);
            Insert = $"INSERT INTO {Name} ({string.Join(", ", _inserted.Select(p => Quote(p.GetColumnName())))}) " +
                $"VALUES ({string.Join(", ", _inserted.Select((_, i) => $"@p{i}"))})";
            var sets = _updated.Length - key.Count;
            Update = $"UPDATE {Name} SET {string.Join(", ", _updated.Take(sets).Select((p, i) => $"{Quote(p.GetColumnName())} = @p{i}"))} " +
                $"WHERE {string.Join(" AND ", key.Select((p, i) => $"{Quote(p.GetColumnName())} = @p{sets + i}"))}";
        }

        /// <summary>The quoted table name, for hand-written statements.</summary>
        public string Name { get; }

        public string Insert { get; }

        /// <summary>One INSERT of <paramref name="count"/> rows, parameters row after row.</summary>
        public string InsertMany(int count) => count == 1 ? Insert : _insertMany.GetOrAdd(count, n =>
            Insert[..Insert.IndexOf(" VALUES ", StringComparison.Ordinal)] + " VALUES " + string.Join(", ",
                Enumerable.Range(0, n).Select(r => $"({string.Join(", ", _inserted.Select((_, c) => $"@p{r * _inserted.Length + c}"))})")));

        private readonly ConcurrentDictionary<int, string> _insertMany = new();

        /// <summary>Every column but the key, by key.</summary>
        public string Update { get; }

        public object?[] InsertValues(object row) => [.. _inserted.Select(p => p.PropertyInfo!.GetValue(row))];

        public object?[] UpdateValues(object row) => [.. _updated.Select(p => p.PropertyInfo!.GetValue(row))];

        /// <summary>The rows of a reader, columns matched to properties by name.</summary>
        public async Task<List<T>> ReadAsync<T>(DbDataReader reader, CancellationToken cancellationToken) where T : class
        {
            var columns = Enumerable.Range(0, reader.FieldCount)
                .Select(i => (Ordinal: i, Property: _byColumn[reader.GetName(i)].PropertyInfo!))
                .ToArray();
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = (T)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(T));
                foreach (var (ordinal, property) in columns)
                    property.SetValue(row, reader.IsDBNull(ordinal) ? null : Read(reader, ordinal, property.PropertyType));
                rows.Add(row);
            }
            return rows;
        }

        /// <summary>The rows of a prepared SQLite query with these values, columns matched to properties by name.</summary>
        public List<T> Read<T>(SqliteStatement statement, IReadOnlyList<object?> values) where T : class
        {
            System.Reflection.PropertyInfo[]? columns = null;
            return statement.Query(values, s =>
            {
                columns ??= [.. Enumerable.Range(0, s.ColumnCount).Select(i => _byColumn[s.ColumnName(i)].PropertyInfo!)];
                var row = (T)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(T));
                for (var i = 0; i < columns.Length; i++)
                    columns[i].SetValue(row, s.Read(i, columns[i].PropertyType));
                return row;
            });
        }

        private static object Read(DbDataReader reader, int ordinal, Type type) =>
            (Nullable.GetUnderlyingType(type) ?? type) switch
            {
                var t when t == typeof(string) => reader.GetString(ordinal),
                var t when t == typeof(Utf8Json) => Utf8Json.FromString(reader.GetString(ordinal)),
                var t when t == typeof(DateTime) => reader.GetDateTime(ordinal),
                var t when t == typeof(int) => reader.GetInt32(ordinal),
                var t when t == typeof(long) => reader.GetInt64(ordinal),
                var t when t == typeof(bool) => reader.GetBoolean(ordinal),
                var t when t == typeof(TimeSpan) => reader.GetFieldValue<TimeSpan>(ordinal),
                var t => throw new NotSupportedException($"Reading a {t.Name} column is not supported."),
            };
    }

    public static string Quote(string name) => $"\"{name}\"";
}
