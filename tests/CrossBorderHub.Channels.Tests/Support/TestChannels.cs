using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Channels.Tests.Support;

/// <summary>Builds <see cref="ChannelSettings"/> the way the host does: a Hub:Partners:P:Inbound|Outbound section.</summary>
public static class TestChannels
{
    public static ChannelSettings Settings(string partner, string direction, IDictionary<string, string?> values, string dataRoot,
        ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        var prefix = $"Hub:Partners:{partner}:{direction}";
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(kv => new KeyValuePair<string, string?>($"{prefix}:{kv.Key}", kv.Value)))
            .Build();
        return new ChannelSettings(partner, direction, configuration.GetSection(prefix),
            new ChannelContext(dataRoot, time ?? TimeProvider.System, loggers ?? NullLoggerFactory.Instance));
    }

    public static List<string> Validate(IChannelFactory factory, ChannelSettings settings)
    {
        var errors = new List<string>();
        factory.Validate(settings, errors);
        return errors;
    }

    public static OutboundDocument Document(string fileName, byte[] content, string? messageId = null) =>
        new(messageId ?? Guid.NewGuid().ToString("N"), fileName, content.Length,
            _ => ValueTask.FromResult<Stream>(new MemoryStream(content, writable: false)),
            new Dictionary<string, string> { ["sender"] = "CN", ["recipient"] = "TH", ["document-type"] = "INVOIC" });

    /// <summary>A new folder under this run's temp folder (removed by <see cref="ServersTeardown"/>).</summary>
    public static string NewTempFolder(string name) => TempFolder.InRun($"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
}

/// <summary>Collects log lines so tests can check that an error names the partner and channel.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory, ILoggerProvider
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            lock (owner._lines)
            {
                owner._lines.Add($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
