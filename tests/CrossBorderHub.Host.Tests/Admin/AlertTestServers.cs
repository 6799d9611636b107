using System.Collections.Concurrent;
using System.Text;

namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>
/// Debian's aiosmtpd (python3-aiosmtpd), a real SMTP server, on a free port: each mail it receives is a file in a
/// Maildir (its Mailbox handler), read back by the test as the raw message.
/// </summary>
public sealed class TestSmtpServer : IDisposable
{
    private readonly ServerProcess _server;
    private readonly string _maildir;

    private TestSmtpServer(ServerProcess server, string maildir, int port)
    {
        _server = server;
        _maildir = maildir;
        Port = port;
    }

    public int Port { get; }

    public string Log => _server.Log;

    public static async Task<TestSmtpServer> StartAsync()
    {
        var aiosmtpd = RequiredTool.Find("aiosmtpd", "python3-aiosmtpd");
        var maildir = Path.Combine(Directory.CreateTempSubdirectory("hub-smtp-").FullName, "mail");
        var port = FreePort.Next();
        var server = await ServerProcess.StartAsync(aiosmtpd, ["-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir], port, TimeSpan.FromSeconds(20));
        return new TestSmtpServer(server, maildir, port);
    }

    /// <summary>The raw messages received so far, oldest first.</summary>
    public IReadOnlyList<string> Messages()
    {
        var folder = Path.Combine(_maildir, "new");
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder).Select(f => (File: f, At: File.GetLastWriteTimeUtc(f))).OrderBy(f => f.At).ThenBy(f => f.File, StringComparer.Ordinal)
                .Select(f => File.ReadAllText(f.File)).ToList()
            : [];
    }

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(Path.GetDirectoryName(_maildir)!, recursive: true);
    }
}

/// <summary>A real HTTP listener on a free port that records every POSTed body and answers 204.</summary>
public sealed class TestWebhook : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<JsonNode> _bodies = new();
    private readonly Task _loop;

    public TestWebhook()
    {
        var port = FreePort.Next();
        Url = $"http://127.0.0.1:{port}/hooks/alerts/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public IReadOnlyList<JsonNode> Bodies => _bodies.ToArray();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                var text = await reader.ReadToEndAsync();
                if (context.Request.HttpMethod == "POST" && context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
                {
                    _bodies.Enqueue(JsonNode.Parse(text)!);
                }
            }
            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
