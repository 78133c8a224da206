using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Followup.Host.Scheduling;

/// <summary>
/// Hangfire's log through the host's logging. Hangfire keeps one log provider for the process and its parts keep the
/// loggers they were given, so a logger can outlive the host whose logging made it (tests start and stop many hosts in
/// one process): once that logging is disposed, the logger stays silent instead of throwing into Hangfire's workers.
/// </summary>
internal sealed class HangfireLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _logging = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return new Tolerant(_logging.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return Tolerant.Silent;
        }
    }

    private sealed class Tolerant(ILog? log) : ILog
    {
        public static readonly Tolerant Silent = new(null);

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return log?.Log(logLevel, messageFunc, exception) ?? false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
