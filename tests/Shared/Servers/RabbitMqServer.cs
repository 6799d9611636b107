using System.Globalization;
using RabbitMQ.Client;

namespace CrossBorderHub.Testing.Servers;

/// <summary>
/// A real rabbitmq-server (as the rabbitmq user) in a temp folder, on free loopback ports, with its own epmd that we
/// start and stop ourselves, so no Erlang process outlives the test run. Linked only into projects that reference
/// RabbitMQ.Client.
/// </summary>
public sealed class RabbitMqServer : LoopbackServer
{
    private const string Broker = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private static readonly SharedServer<RabbitMqServer> Instance = new(() => new RabbitMqServer(TempFolder.InRun("rabbitmq")));
    private readonly int _epmdPort = FreePort.Next();
    private readonly int _distPort = FreePort.Next();
    private ServerProcess? _epmd;

    private RabbitMqServer(string root)
        : base(root, "hub", "pw-" + Guid.NewGuid().ToString("N")[..16])
    {
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
        ProcessRunner.Output("/bin/chown", "-R", "rabbitmq:", root);
        ProcessRunner.Output("/bin/chmod", "700", root);
    }

    public string NodeName { get; }

    /// <summary>One broker for the whole test run, started on first use, stopped by <see cref="StopShared"/>.</summary>
    public static RabbitMqServer Shared
    {
        get
        {
            RequiredTool.Find("rabbitmq-server", "rabbitmq-server", Broker);
            RequiredTool.Root("runs rabbitmq-server as the rabbitmq user");
            return Instance.Get();
        }
    }

    public static void StopShared() => Instance.Stop();

    /// <summary>Starts the broker (and epmd, which a <see cref="LoopbackServer.Stop"/> leaves running for the restart).</summary>
    public override async Task StartAsync()
    {
        _epmd ??= await ServerProcess.StartAsync("/usr/bin/epmd", ["-port", _epmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1"],
            _epmdPort, TimeSpan.FromSeconds(10));
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = Root, // the Erlang cookie is created here
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(Root, "no-env-file"),
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = _distPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_PORT"] = _epmdPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(Root, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(Root, "log"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(Root, "rabbitmq.conf"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(Root, "enabled_plugins"),
            ["RABBITMQ_FEATURE_FLAGS_FILE"] = Path.Combine(Root, "feature_flags"),
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}",
        };
        await StartProcessAsync("/usr/bin/setpriv", ["--reuid=rabbitmq", "--regid=rabbitmq", "--init-groups", Broker], TimeSpan.FromSeconds(90), environment);
    }

    public Dictionary<string, string?> Settings(string queue)
    {
        var settings = Endpoint("rabbitmq");
        settings["Queue"] = queue;
        settings["DeclareQueue"] = "true";
        settings["RetryBackoff"] = "00:00:00.500";
        settings["ConnectAttempts"] = "2";
        settings["ConnectTimeout"] = "00:00:05";
        return settings;
    }

    /// <summary>A test-side connection with publisher confirms, to prepare and inspect queues.</summary>
    public async Task<(IConnection Connection, IChannel Channel)> AdminAsync()
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = Port, UserName = User, Password = Password };
        var connection = await factory.CreateConnectionAsync("hub tests");
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        return (connection, channel);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _epmd?.Dispose();
            _epmd = null;
        }
    }
}
