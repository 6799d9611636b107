using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>Routes the AS2 classes' log lines to the test output, so a failing test shows the hub's own account.</summary>
internal static class As2TestLog
{
    public static ILogger<T> For<T>() => new Logger<T>(new LoggerFactory([new TestOutputProvider()]));

    private sealed class TestOutputProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new TestOutputLogger(categoryName);

        public void Dispose() { }
    }

    private sealed class TestOutputLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            TestContext.Progress.WriteLine($"{logLevel} {category.Split('.')[^1]}: {formatter(state, exception)}");
    }
}
