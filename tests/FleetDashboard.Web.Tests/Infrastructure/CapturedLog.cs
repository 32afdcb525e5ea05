using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FleetDashboard.Web.Tests.Infrastructure;

/// <summary>
/// A logger provider that keeps every entry the server writes, for tests of what reaches the log (and how much), with
/// the entry's properties: its message template's and those of the scopes it was written in, as a structured log
/// (JSON console, a log store) would carry them.
/// </summary>
public sealed class CapturedLog : ILoggerProvider, ISupportExternalScope
{
    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception)
    {
        public IReadOnlyDictionary<string, object?> Properties { get; init; } = new Dictionary<string, object?>();
    }

    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<Entry> Entries { get; } = [];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => log._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = new Dictionary<string, object?>();
            log._scopes.ForEachScope((scope, _) => Add(properties, scope), (object?)null);
            Add(properties, state);
            log.Entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception) { Properties = properties });
        }

        private static void Add(Dictionary<string, object?> properties, object? values)
        {
            if (values is not IEnumerable<KeyValuePair<string, object?>> pairs) return;
            foreach (var (key, value) in pairs) properties[key] = value;
        }
    }
}
