namespace CrossBorderHub.Testing.Servers;

/// <summary>One server of a kind for the whole test run: started on first use, stopped by the assembly's teardown.</summary>
public sealed class SharedServer<T>(Func<T> create)
    where T : LoopbackServer
{
    private readonly Lock _gate = new();
    private T? _server;

    public T Get()
    {
        lock (_gate)
        {
            if (_server is null)
            {
                var server = create();
                server.StartAsync().GetAwaiter().GetResult();
                _server = server;
            }
            return _server;
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            _server?.Dispose();
            _server = null;
        }
    }
}
