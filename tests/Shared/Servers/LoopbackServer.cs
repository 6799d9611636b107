using System.Globalization;

namespace CrossBorderHub.Testing.Servers;

/// <summary>
/// What the real servers of the tests share: a folder of their own, a free loopback port, a login, and one
/// <see cref="ServerProcess"/> that <see cref="StartAsync"/> starts and <see cref="Stop"/> kills.
/// </summary>
public abstract class LoopbackServer : IDisposable
{
    private ServerProcess? _process;

    protected LoopbackServer(string root, string user, string password)
    {
        Root = root;
        Port = FreePort.Next();
        User = user;
        Password = password;
    }

    public string Root { get; }
    public int Port { get; }
    public string User { get; }
    public string Password { get; }

    public abstract Task StartAsync();

    /// <summary>Stops the server and every session it serves (a crash or restart of the partner's server).</summary>
    public void Stop()
    {
        _process?.Dispose();
        _process = null;
    }

    public async Task RestartAsync()
    {
        Stop();
        await StartAsync();
    }

    /// <summary>Starts the server program; returns when <see cref="Port"/> listens.</summary>
    protected async Task StartProcessAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        Stop();
        _process = await ServerProcess.StartAsync(file, arguments, Port, timeout, environment, Root);
    }

    /// <summary>The channel settings that reach this server: type, address and login.</summary>
    protected Dictionary<string, string?> Endpoint(string type) => new()
    {
        ["Type"] = type,
        ["Host"] = "127.0.0.1",
        ["Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["Username"] = User,
        ["Password"] = Password,
    };

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Stop();
        }
    }
}

/// <summary>A server of remote folders (SFTP, FTP) logged in as the <see cref="TestAccount"/>, with its data under Root/data.</summary>
public abstract class FileTransferServer : LoopbackServer
{
    protected FileTransferServer(string root, (string User, string Password, int Uid) account)
        : base(root, account.User, account.Password)
    {
        Data = TestAccount.Folder(Path.Combine(root, "data"));
    }

    public string Data { get; }

    /// <summary>A new folder for one test, owned by the login user.</summary>
    public string NewFolder(string name) => TestAccount.Folder(Path.Combine(Data, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]));

    /// <summary>The settings of a channel on <paramref name="remotePath"/> of this server.</summary>
    public abstract Dictionary<string, string?> Settings(string remotePath);

    /// <summary>The settings of a remote-folder channel on this server, with short timeouts for tests.</summary>
    protected Dictionary<string, string?> FolderSettings(string type, string remotePath)
    {
        var settings = Endpoint(type);
        settings["RemotePath"] = remotePath;
        settings["MinimumAge"] = "00:00:01";
        settings["RetryBackoff"] = "00:00:00.200";
        settings["ConnectAttempts"] = "3";
        settings["ConnectTimeout"] = "00:00:05";
        settings["InstanceId"] = "test";
        return settings;
    }
}
