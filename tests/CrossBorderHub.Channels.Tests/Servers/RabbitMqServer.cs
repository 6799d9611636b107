using System.Diagnostics;
using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace CrossBorderHub.Channels.Tests.Servers;

/// <summary>
/// A real rabbitmq-server (as the rabbitmq user) in a temp folder, on free loopback ports, with its own epmd that we
/// start and stop ourselves, so no Erlang process outlives the test run.
/// </summary>
public sealed class RabbitMqServer : IDisposable
{
    private static RabbitMqServer? _shared;
    private readonly StringBuilder _log = new();
    private readonly int _epmdPort;
    private readonly int _distPort;
    private Process? _epmd;
    private Process? _broker;

    private RabbitMqServer(string root)
    {
        Root = root;
        Port = ServerHost.FreePort();
        _distPort = ServerHost.FreePort();
        _epmdPort = ServerHost.FreePort();
        User = "hub";
        Password = "pw-" + Guid.NewGuid().ToString("N")[..16];
        NodeName = $"hubtest{Environment.ProcessId}@localhost";
        Directory.CreateDirectory(Path.Combine(root, "mnesia"));
        Directory.CreateDirectory(Path.Combine(root, "log"));
        File.WriteAllText(Path.Combine(root, "enabled_plugins"), "[].");
        File.WriteAllText(Path.Combine(root, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{Port}
            loopback_users = none
            default_user = {User}
            default_pass = {Password}
            log.console = true
            log.console.level = error
            log.file = false
            """);
        ServerHost.Run("/bin/chown", "-R", "rabbitmq:", root);
        ServerHost.Run("/bin/chmod", "700", root);
    }

    public string Root { get; }
    public int Port { get; }
    public string User { get; }
    public string Password { get; }
    public string NodeName { get; }

    public static RabbitMqServer Shared
    {
        get
        {
            ServerHost.Require("/usr/lib/rabbitmq/bin/rabbitmq-server", "rabbitmq-server");
            ServerHost.RequireRoot("runs rabbitmq-server as the rabbitmq user");
            lock (typeof(RabbitMqServer))
            {
                if (_shared is null)
                {
                    var server = new RabbitMqServer(ServerRoots.TestRoot("rabbitmq"));
                    server.StartAsync().GetAwaiter().GetResult();
                    _shared = server;
                }
                return _shared;
            }
        }
    }

    public static void StopShared()
    {
        _shared?.Dispose();
        _shared = null;
    }

    public async Task StartAsync()
    {
        if (_epmd is null || _epmd.HasExited)
        {
            var epmd = new ProcessStartInfo("/usr/bin/epmd") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "-port", _epmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1" })
            {
                epmd.ArgumentList.Add(a);
            }
            _epmd = Process.Start(epmd)!;
            await ServerHost.WaitForPortAsync(_epmdPort, TimeSpan.FromSeconds(10), _epmd);
        }
        var start = new ProcessStartInfo("/usr/bin/setpriv") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = Root };
        foreach (var a in new[] { "--reuid=rabbitmq", "--regid=rabbitmq", "--init-groups", "/usr/lib/rabbitmq/bin/rabbitmq-server" })
        {
            start.ArgumentList.Add(a);
        }
        var environment = start.Environment;
        environment["HOME"] = Root; // the Erlang cookie is created here
        environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(Root, "no-env-file");
        environment["RABBITMQ_NODENAME"] = NodeName;
        environment["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture);
        environment["RABBITMQ_DIST_PORT"] = _distPort.ToString(CultureInfo.InvariantCulture);
        environment["ERL_EPMD_PORT"] = _epmdPort.ToString(CultureInfo.InvariantCulture);
        environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(Root, "mnesia");
        environment["RABBITMQ_LOG_BASE"] = Path.Combine(Root, "log");
        environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(Root, "rabbitmq.conf");
        environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(Root, "enabled_plugins");
        environment["RABBITMQ_FEATURE_FLAGS_FILE"] = Path.Combine(Root, "feature_flags");
        environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}";
        _broker = Process.Start(start)!;
        _broker.OutputDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        _broker.ErrorDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        _broker.BeginOutputReadLine();
        _broker.BeginErrorReadLine();
        await ServerHost.WaitForPortAsync(Port, TimeSpan.FromSeconds(90), _broker, () => { lock (_log) { return _log.ToString(); } });
    }

    /// <summary>Kills the broker (not gracefully: a crash), leaving epmd for the restart.</summary>
    public void Stop()
    {
        ServerHost.Kill(_broker);
        _broker = null;
    }

    public Dictionary<string, string?> Settings(string queue) => new()
    {
        ["Type"] = "rabbitmq",
        ["Host"] = "127.0.0.1",
        ["Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["Username"] = User,
        ["Password"] = Password,
        ["Queue"] = queue,
        ["DeclareQueue"] = "true",
        ["RetryBackoff"] = "00:00:00.500",
        ["ConnectAttempts"] = "2",
        ["ConnectTimeout"] = "00:00:05",
    };

    /// <summary>A test-side connection with publisher confirms, to prepare and inspect queues.</summary>
    public async Task<(IConnection Connection, IChannel Channel)> AdminAsync()
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = Port, UserName = User, Password = Password };
        var connection = await factory.CreateConnectionAsync("hub tests");
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        return (connection, channel);
    }

    public void Dispose()
    {
        Stop();
        ServerHost.Kill(_epmd);
        _epmd = null;
    }
}
