using System.Runtime.InteropServices;

namespace Followup.Workflows.Persistence.Sqlite;

/// <summary>
/// Writes the dirty pages of the file system holding a folder to disk (Linux <c>syncfs</c>). Opens the folder, never the
/// database: closing another descriptor of a SQLite file would drop the locks SQLite holds on it.
/// </summary>
internal static partial class FileSystemSync
{
    private const int ReadOnlyCloseOnExec = 0x80000;

    /// <summary>False where this is not Linux (or its C library lacks the call) or the folder cannot be opened.</summary>
    public static bool TrySync(string folder)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            var descriptor = Open(folder, ReadOnlyCloseOnExec);
            if (descriptor < 0)
                return false;
            try
            {
                return SyncFs(descriptor) == 0;
            }
            finally
            {
                _ = Close(descriptor);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "syncfs")]
    private static partial int SyncFs(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
