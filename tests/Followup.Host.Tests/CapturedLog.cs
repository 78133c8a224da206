using Microsoft.Extensions.Logging;

namespace Followup.Host.Tests;

/// <summary>Every message the host logs at <paramref name="minimum"/> or above, with its category.</summary>
internal sealed class CapturedLog(LogLevel minimum) : ILoggerProvider
{
    public System.Collections.Concurrent.ConcurrentBag<string> Messages { get; } = [];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= log.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                log.Messages.Add($"{category}: {formatter(state, exception)}");
        }
    }

    public LogLevel Minimum => minimum;
}
