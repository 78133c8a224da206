using Microsoft.Data.Sqlite;

namespace Followup.Workflows.Persistence.Sqlite;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file on a thread of its own, so the group writer never waits
/// for the disk. In WAL mode with <c>synchronous=NORMAL</c> a commit only appends to the log; a checkpoint syncs the log
/// and the file, which takes milliseconds per megabyte.
/// <para>
/// The log starts again from its beginning only when a write begins with every page of it copied, and under a steady
/// stream of commits that never happens by itself: the log grew until the writer's own automatic checkpoint, which
/// stalled every caller for the tens of milliseconds its syncs took. So once the log is long, this thread copies in
/// passes back to back, each copying what the commits wrote during the one before, until a pass finds little left; then
/// it asks the writer to copy that last bit itself between two groups (see <see cref="GroupCommit"/>), which takes a
/// few milliseconds, so that the writer's next commit starts the log again. Every connection to the file keeps
/// SQLite's automatic checkpoint only at a far higher mark, in case this thread falls behind
/// (<see cref="SqliteLogLimits"/>).
/// </para>
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    /// <summary>Pages written during a catch-up pass few enough for the writer to copy them itself.</summary>
    private const int WriterCopiesUpTo = 256;

    private const int MaxCatchUpPasses = 6;

    /// <summary>Time between checkpoints while commits keep coming, so one checkpoint copies many commits' pages.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    private readonly string _connectionString;
    private readonly int _restartAfterPages;
    private readonly Action _writerToCatchUp;
    private readonly ManualResetEventSlim _written = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    /// <param name="connectionString">The database.</param>
    /// <param name="restartAfterPages">The length of log at which to catch up.</param>
    /// <param name="writerToCatchUp">Asks the writer to run one checkpoint itself before its next group.</param>
    public WalCheckpointer(string connectionString, int restartAfterPages, Action writerToCatchUp)
    {
        _connectionString = connectionString;
        _restartAfterPages = restartAfterPages;
        _writerToCatchUp = writerToCatchUp;
        _thread = new Thread(Run) { IsBackground = true, Name = "SQLite checkpoint" };
        _thread.Start();
    }

    /// <summary>Called after a commit: the log has new pages.</summary>
    public void Written()
    {
        if (!_written.IsSet)
            _written.Set();
    }

    /// <summary>
    /// One passive checkpoint: copies what no reader still needs, without waiting for readers or the writer. Returns
    /// the pages in the log, or -1 when the log could not be read.
    /// </summary>
    private static long Checkpoint(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetInt64(1) : -1;
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
                    var pages = Checkpoint(connection);
                    if (pages >= _restartAfterPages)
                        CatchUp(connection, pages);
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

    /// <summary>
    /// Passes back to back until the commits of one pass are few; then the file system's dirty pages are written out
    /// (the database file is only synced by a checkpoint that reaches the end of the log, so every page copied since
    /// the last restart waits for that sync), passes again, and the writer copies the last few pages.
    /// </summary>
    private void CatchUp(SqliteConnection connection, long pages)
    {
        if (!Converge(connection, ref pages))
            return;
        if (Path.GetDirectoryName(connection.DataSource) is { Length: > 0 } folder && FileSystemSync.TrySync(folder) && !Converge(connection, ref pages))
            return;
        _writerToCatchUp();
    }

    /// <summary>False when the log started again meanwhile or the commits keep outpacing the passes.</summary>
    private bool Converge(SqliteConnection connection, ref long pages)
    {
        for (var pass = 0; pass < MaxCatchUpPasses && !_stop.IsCancellationRequested; pass++)
        {
            var after = Checkpoint(connection);
            if (after < pages)
                return false;
            var written = after - pages;
            pages = after;
            if (written <= WriterCopiesUpTo)
                return true;
        }
        return false;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
        _written.Dispose();
    }
}
