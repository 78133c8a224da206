using Followup.Workflows.Persistence.Sql;
using Microsoft.EntityFrameworkCore;

namespace Followup.Workflows.Persistence.Postgres;

/// <summary>
/// The run path on PostgreSQL, several hosts sharing one database: every read goes to the database (another host may
/// have moved an instance on since this one last saw it), through ADO.NET with the same plain SQL as SQLite.
/// </summary>
public sealed class PostgresRunStore(IDbContextFactory<WorkflowDbContext> factory, WorkflowDatabase database, RecordModels records)
    : SqlRunStore(factory, database, records)
{
    internal override Task<List<T>> SelectAsync<T>(Select<T> select, CancellationToken cancellationToken) =>
        ReadAsync(select.Sql, select.Values, (reader, ct) => select.Table.ReadAsync<T>(reader, ct), cancellationToken);

    public override async Task<(List<BookmarkTarget> Bookmarks, List<TriggerRecord> Triggers)> FindStimulusTargetsAsync(
        string hash, string? correlationId, string? instanceId, bool withTriggers, CancellationToken cancellationToken)
    {
        var (bookmarks, values, triggers) = StimulusQueries(hash, correlationId, instanceId);
        var targets = await ReadAsync(bookmarks, values, async (reader, ct) =>
        {
            var rows = new List<BookmarkTarget>();
            while (await reader.ReadAsync(ct))
                rows.Add(new BookmarkTarget(reader.GetString(0), reader.GetString(1)));
            return rows;
        }, cancellationToken);
        return (targets, withTriggers ? await SelectAsync(triggers, cancellationToken) : []);
    }

    private async Task<TResult> ReadAsync<TResult>(string sql, IReadOnlyList<object?> values, Func<System.Data.Common.DbDataReader, CancellationToken, Task<TResult>> read, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(forWriting: false, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = SqlSession.ParameterValue(values[i]);
            command.Parameters.Add(parameter);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await read(reader, cancellationToken);
    }
}
