using System.Threading.Channels;
using Followup.Workflows.Management;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Followup.Workflows.Persistence.Postgres;

/// <summary>
/// Definition changes across hosts on one PostgreSQL database: <c>NOTIFY followup_definitions, '{definitionId}'</c>
/// after a change is stored, and a connection per host that <c>LISTEN</c>s and reloads each definition it hears of.
/// A lost connection is opened again and everything is reloaded then, since notifications sent meanwhile are gone;
/// a start also compares the stored version now and then (<see cref="WorkflowDefinitionService.EnsureCurrentAsync"/>).
/// </summary>
public sealed partial class PostgresDefinitionChanges(WorkflowDatabase database, IServiceProvider services, ILogger<PostgresDefinitionChanges> logger) : IDefinitionChanges
{
    public const string ChannelName = "followup_definitions";

    public bool Shared => true;

    public async Task AnnounceAsync(IReadOnlyCollection<string> definitionIds, CancellationToken cancellationToken)
    {
        if (definitionIds.Count == 0)
            return;
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var id in definitionIds.Distinct(StringComparer.Ordinal))
        {
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @id)", connection);
            notify.Parameters.AddWithValue("channel", ChannelName);
            notify.Parameters.AddWithValue("id", id);
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public void Listen(CancellationToken stopping)
    {
        var heard = Channel.CreateUnbounded<string?>(new UnboundedChannelOptions { SingleReader = true });
        _ = Task.Run(() => ListenAsync(heard.Writer, stopping), CancellationToken.None);
        _ = Task.Run(() => ReloadAsync(heard.Reader, stopping), CancellationToken.None);
    }

    /// <summary>Holds the listening connection, opened again after a failure; null in the channel means "reload everything".</summary>
    private async Task ListenAsync(ChannelWriter<string?> heard, CancellationToken stopping)
    {
        var first = true;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(database.ConnectionString);
                await connection.OpenAsync(stopping);
                connection.Notification += (_, e) => heard.TryWrite(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection))
                    await listen.ExecuteNonQueryAsync(stopping);
                if (!first)
                    heard.TryWrite(null);
                first = false;
                while (!stopping.IsCancellationRequested)
                    await connection.WaitAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Whatever broke the connection (the server restarted, the network), listening starts again.
                Log.ListenFailed(logger, ex);
                first = false;
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task ReloadAsync(ChannelReader<string?> heard, CancellationToken stopping)
    {
        var definitions = services.GetRequiredService<WorkflowDefinitionService>();
        try
        {
            await foreach (var id in heard.ReadAllAsync(stopping))
            {
                try
                {
                    await definitions.ReloadAsync(id, stopping);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.ReloadFailed(logger, id ?? "(all)", ex);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1040, Level = LogLevel.Warning, Message = "Listening for other hosts' definition changes failed; trying again")]
        public static partial void ListenFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1041, Level = LogLevel.Error, Message = "Reloading definition {DefinitionId} after another host changed it failed")]
        public static partial void ReloadFailed(ILogger logger, string definitionId, Exception exception);
    }
}
