using SQLitePCL;

namespace Followup.Workflows.Persistence.Sqlite;

/// <summary>Process-wide settings of the SQLite library, applied before its first connection opens.</summary>
internal static class SqliteLibrary
{
    private static int _configured;

    /// <summary>
    /// Turns off SQLite's memory statistics, which take a process-wide lock around every allocation the library
    /// makes; nothing here reads them. Too late once a connection has opened (the library refuses), and then harmless.
    /// </summary>
    public static void Configure()
    {
        if (Interlocked.Exchange(ref _configured, 1) == 1)
            return;
        Batteries_V2.Init();
        raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0);
    }
}
