using Microsoft.Data.Sqlite;

namespace Followup.Workflows.Persistence;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file on a thread of its own, so the group writer never waits
/// for the disk. In WAL mode with <c>synchronous=NORMAL</c> a commit only appends to the log; a checkpoint syncs the log
/// and the file, which takes milliseconds. Left to the writer (SQLite's automatic checkpoint), every thousandth page
/// stalled every caller in its group. The writer keeps an automatic checkpoint at a far higher mark, in case this
/// thread falls behind.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    /// <summary>Log pages at which the writer checkpoints itself (SQLite's default is 1,000).</summary>
    public const int WriterLimitPages = 20_000;

    /// <summary>Time between checkpoints while commits keep coming, so one checkpoint copies many commits' pages.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    private readonly string _connectionString;
    private readonly ManualResetEventSlim _written = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public WalCheckpointer(string connectionString)
    {
        _connectionString = connectionString;
        _thread = new Thread(Run) { IsBackground = true, Name = "SQLite checkpoint" };
        _thread.Start();
    }

    /// <summary>Called after a commit: the log has new pages.</summary>
    public void Written()
    {
        if (!_written.IsSet)
            _written.Set();
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                _written.Wait(_stop.Token);
                _written.Reset();
                try
                {
                    if (connection is null)
                    {
                        connection = new SqliteConnection(_connectionString);
                        connection.Open();
                    }
                    using var command = connection.CreateCommand();
                    // PASSIVE: copies what no reader still needs, without waiting for readers or the writer.
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    command.ExecuteNonQuery();
                }
                catch (SqliteException)
                {
                    // Tried again after the next commit; the writer's own limit covers a longer failure.
                    connection?.Dispose();
                    connection = null;
                }
                _stop.Token.WaitHandle.WaitOne(Pause);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            connection?.Dispose();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
        _written.Dispose();
    }
}
